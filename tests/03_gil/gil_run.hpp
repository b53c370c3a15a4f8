// Running the toy interpreter on several threads under a GIL, and keeping what the tests look
// at: the instructions each thread ran, every span a thread held the GIL (for timelines), the
// most holders at once, and the switches.
#pragma once

#include <algorithm>
#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <course/testing.hpp>
#include <toy/interpreter.hpp>
#include <toy/programs.hpp>

namespace gil_testing {

// One hold of the GIL: who, when it asked, got and let go of it.
struct Hold {
  std::string thread;
  toy::Clock::time_point asked, taken, dropped;
};

struct GilRun {
  std::vector<toy::ThreadStats> stats;  // one per thread
  std::vector<long> results;            // what each thread's program returned
  std::vector<Hold> holds;              // every hold of the GIL, ordered by when it was taken
  std::string timeline;                 // the holds, drawn
  int max_holders = 0;
  long switches = 0;
  course::Millis elapsed{0};
};

// A moment of the run in milliseconds since its first hold was asked for: what a failed
// comparison of two moments prints (a time_point would print as its raw bytes).
inline double ms_since_start(const GilRun& run, toy::Clock::time_point moment) {
  if (run.holds.empty()) return 0;
  const auto start =
      std::min_element(run.holds.begin(), run.holds.end(), [](const auto& a, const auto& b) {
        return a.asked < b.asked;
      })->asked;
  return std::chrono::duration<double, std::milli>(moment - start).count();
}

// Runs codes[i] on thread i, all at once, on one runtime around `lock` and `builtins`.
inline GilRun run_threads(toy::Gil& lock, const std::vector<const toy::Code*>& codes,
                          std::vector<toy::Builtin> builtins = {}) {
  toy::Runtime runtime(lock, std::move(builtins));
  course::SpanRecorder recorder;
  // Which of our threads is which, for the labels of their holds.
  std::mutex names_mutex;
  std::map<std::thread::id, std::string> names;
  const auto name_of_this_thread = [&] {
    const std::lock_guard lock_names(names_mutex);
    return names[std::this_thread::get_id()];
  };
  std::mutex holds_mutex;
  std::vector<Hold> holds;
  runtime.on_hold([&](toy::Clock::time_point asked, toy::Clock::time_point taken,
                      toy::Clock::time_point dropped) {
    const std::string name = name_of_this_thread();
    recorder.record(name, taken, dropped);
    const std::lock_guard lock_holds(holds_mutex);
    holds.push_back({name, asked, taken, dropped});
  });
  GilRun run;
  run.stats.resize(codes.size());
  run.results.resize(codes.size());
  run.elapsed = course::time_once([&] {
    std::vector<std::jthread> threads;
    for (std::size_t i = 0; i < codes.size(); ++i) {
      threads.emplace_back([&, i] {
        {
          const std::lock_guard lock_names(names_mutex);
          names[std::this_thread::get_id()] = fmt::format("thread {}", i + 1);
        }
        run.results[i] = runtime.run(*codes[i], &run.stats[i]);
      });
    }
  });
  std::sort(holds.begin(), holds.end(),
            [](const Hold& a, const Hold& b) { return a.taken < b.taken; });
  run.holds = std::move(holds);
  run.timeline = recorder.timeline();
  run.max_holders = runtime.max_holders();
  run.switches = runtime.switches();
  return run;
}

// `threads` threads, each running the same code.
inline GilRun run_threads(toy::Gil& lock, const toy::Code& code, int threads,
                          std::vector<toy::Builtin> builtins = {}) {
  return run_threads(lock, std::vector<const toy::Code*>(static_cast<std::size_t>(threads), &code),
                     std::move(builtins));
}

// What every GIL must do, checked the same way for each: three threads count to 100,000 under
// `lock`; at most one holds it at any moment, each gets the right count, and the program's
// constants, shared by the three, end with one reference each, no object leaked or freed twice.
inline void expect_one_thread_at_a_time(toy::Gil& lock) {
  const toy::Code code(toy::count_to(100'000));
  const long alive_before = toy::objects_alive().load();
  const auto run = run_threads(lock, code, 3);
  EXPECT_EQ(run.max_holders, 1) << "two threads held the GIL at once:\n" << run.timeline;
  EXPECT_EQ(run.results, (std::vector<long>{100'000, 100'000, 100'000}));
  EXPECT_EQ(code.constant_refcounts(), (std::vector<long>{1, 1, 1}))
      << "the program's constants, shared by the three threads, must end with one reference each: "
         "their counts were changed by two threads at once";
  EXPECT_EQ(toy::objects_alive().load(), alive_before) << "objects were leaked or freed twice";
}

// How often the GIL went straight back to the thread that had just let go of it while another
// thread was already waiting for it: that thread had asked before the let-go, and got it only
// after the taking back.
inline int turns_skipped(const std::vector<Hold>& holds) {
  int skipped = 0;
  for (std::size_t i = 1; i < holds.size(); ++i) {
    const Hold& before = holds[i - 1];
    const Hold& again = holds[i];
    if (again.thread != before.thread) continue;
    const bool someone_waited = std::any_of(
        holds.begin() + static_cast<std::ptrdiff_t>(i), holds.end(), [&](const Hold& other) {
          return other.thread != again.thread && other.asked < before.dropped;
        });
    skipped += someone_waited ? 1 : 0;
  }
  return skipped;
}

}  // namespace gil_testing
