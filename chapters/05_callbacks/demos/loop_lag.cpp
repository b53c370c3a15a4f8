// "A long CPU-intensive task must sleep(0) once per loop": a 10 ms timer measures how late it
// fires while 200 ms of counting runs as one callback, then as slices that yield with call_soon.
//
//   $ build/demos/05_callbacks/loop_lag
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <functional>

#include <fmt/format.h>

#include <course/demo.hpp>

#include "scheduler.hpp"
#include "slices.hpp"

namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

// About 200 ms of counting on the machine the course was written on.
constexpr std::uint32_t kBelow = 1'500'000;

double millis(Clock::duration d) {
  return std::chrono::duration<double, std::milli>(d).count();
}

// Runs the 10 ms timer beside `start_work`, and prints its worst lateness.
void measure(const char* name,
             const std::function<void(callbacks::Scheduler&, std::function<void()>)>& start_work) {
  callbacks::Scheduler loop;
  bool done = false;
  Clock::duration worst{};
  int ticks = 0;
  std::function<void(Clock::time_point)> tick = [&](Clock::time_point due) {
    worst = std::max(worst, Clock::now() - due);
    ++ticks;
    if (!done) loop.call_at(due + 10ms, [&, next = due + 10ms] { tick(next); });
  };
  const auto first = Clock::now() + 10ms;
  loop.call_at(first, [&, first] { tick(first); });
  const auto start = Clock::now();
  start_work(loop, [&] { done = true; });
  loop.run();
  fmt::print(
      "{:<22} work took {:5.0f} ms; the 10 ms timer ticked {:2} times, at worst {:5.1f} ms late\n",
      name, millis(Clock::now() - start), ticks, millis(worst));
}

}  // namespace

int main() {
  return course::run_demo([] {
    measure("one long callback:", [&](callbacks::Scheduler& loop, std::function<void()> done) {
      loop.call_soon([done] {
        fmt::print("  {} primes\n", callbacks::count_primes(0, kBelow));
        done();
      });
    });
    measure("slices of 10 000:", [&](callbacks::Scheduler& loop, std::function<void()> done) {
      callbacks::count_primes_in_slices(loop, kBelow, 10'000, [done](std::uint32_t count) {
        fmt::print("  {} primes\n", count);
        done();
      });
    });
  });
}
