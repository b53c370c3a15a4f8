// Two CPU-bound threads of the toy interpreter under each GIL of this chapter: when each thread
// held the GIL, how often it passed between them, and how long it all took against one thread
// doing the same work alone.
//
//   build/demos/03_gil/gil_timelines
#include <algorithm>
#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include <course/demo.hpp>
#include <toy/interpreter.hpp>
#include <toy/programs.hpp>

#include "naive_gil.hpp"
#include "new_gil.hpp"
#include "tick_gil.hpp"

namespace {

using Clock = toy::Clock;
constexpr int kColumns = 64;

double ms(Clock::duration d) {
  return std::chrono::duration<double, std::milli>(d).count();
}

void show(const std::string& name, toy::Gil& lock) {
  toy::Runtime runtime(lock);
  std::mutex mutex;
  std::map<std::thread::id, std::vector<std::pair<Clock::time_point, Clock::time_point>>> holds;
  runtime.on_hold([&](Clock::time_point, Clock::time_point taken, Clock::time_point dropped) {
    const std::lock_guard lock_holds(mutex);
    holds[std::this_thread::get_id()].emplace_back(taken, dropped);
  });
  const toy::Code half(toy::count_to(400'000));
  const toy::Code whole(toy::count_to(800'000));
  const auto start = Clock::now();
  toy::run_on_threads(runtime, half, 2);
  const auto end = Clock::now();
  const long switches = lock.switches();  // before the run alone takes the same GIL again
  toy::Runtime alone(lock);
  const auto solo_start = Clock::now();
  (void)alone.run(whole);
  const double solo = ms(Clock::now() - solo_start);

  const double total = ms(end - start);
  fmt::print(
      "\n{}: two threads took {:.0f} ms (one thread, the same work: {:.0f} ms), {} switch{}\n",
      name, total, solo, switches, switches == 1 ? "" : "es");
  // Rows in the order the threads first held the GIL.
  std::vector<std::vector<std::pair<Clock::time_point, Clock::time_point>>> rows;
  for (auto& [id, spans] : holds) rows.push_back(std::move(spans));
  std::sort(rows.begin(), rows.end(),
            [](const auto& a, const auto& b) { return a.front().first < b.front().first; });
  int thread = 0;
  for (const auto& spans : rows) {
    std::string row(kColumns, '.');
    for (const auto& [taken, dropped] : spans) {
      const auto first = static_cast<int>(ms(taken - start) / total * kColumns);
      const auto last = static_cast<int>(ms(dropped - start) / total * kColumns);
      for (int column = std::max(0, first); column <= std::min(kColumns - 1, last); ++column)
        row[column] = '#';
    }
    fmt::print("  thread {} |{}| {} holds\n", ++thread, row, spans.size());
  }
}

}  // namespace

int main() {
  return course::run_demo([] {
    gil::NaiveGil naive;
    show("NaiveGil (3.1)", naive);
    gil::TickGil ticks(100);
    show("TickGil, every 100 ticks (3.2)", ticks);
    gil::NewGil interval;
    show("NewGil, 5 ms interval (3.3)", interval);
  });
}
