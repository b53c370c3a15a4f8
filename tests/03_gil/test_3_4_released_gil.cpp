// Exercise 3.4: letting go of the GIL while blocking.
#include <chrono>
#include <stdexcept>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <course/testing.hpp>
#include <toy/programs.hpp>

#include "gil_run.hpp"
#include "naive_gil.hpp"
#include "released_gil.hpp"

namespace {

using namespace std::chrono_literals;
using gil_testing::run_threads;

// A GIL that only writes down what is done to it, and when it was last dropped and taken.
class RecordingGil final : public toy::Gil {
 public:
  void take() override {
    calls += "take ";
    taken_at = std::chrono::steady_clock::now();
  }
  void drop() override {
    calls += "drop ";
    dropped_at = std::chrono::steady_clock::now();
  }
  bool should_yield() override { return false; }
  [[nodiscard]] long switches() const override { return 0; }
  std::string calls;
  std::chrono::steady_clock::time_point dropped_at, taken_at;
};

TEST(ReleasedGil, DropsTheGilAndTakesItBack) {
  RecordingGil lock;
  {
    const gil::ReleasedGil released(lock);
    EXPECT_EQ(lock.calls, "drop ") << "made, it drops the GIL";
  }
  EXPECT_EQ(lock.calls, "drop take ") << "destroyed, it takes the GIL back";
}

TEST(ReleasedGil, TakesTheGilBackWhenAnExceptionLeaves) {
  RecordingGil lock;
  try {
    const gil::ReleasedGil released(lock);
    throw std::runtime_error("the read failed");
  } catch (const std::runtime_error&) {
  }
  EXPECT_EQ(lock.calls, "drop take ")
      << "the thread must hold the GIL again, whichever way it leaves the scope";
}

TEST(SleepReleasingTheGil, IsTheBuiltinSleep) {
  RecordingGil lock;
  const toy::Builtin sleep = gil::sleep_releasing_the_gil();
  EXPECT_EQ(sleep.name, "sleep") << "programs call it by that name";
  const auto elapsed = course::time_once([&] { EXPECT_EQ(sleep.function(lock, 20), 0); });
  EXPECT_TRUE(course::took_at_least(elapsed, 20ms)) << "sleep(20) sleeps 20 ms";
  EXPECT_EQ(lock.calls, "drop take ") << "it lets go of the GIL for the sleep, and takes it back";
  EXPECT_TRUE(course::took_at_least(lock.taken_at - lock.dropped_at, 20ms))
      << "the sleep must come between letting go of the GIL and taking it back";
}

// Four I/O-bound threads: each sleeps 50 ms in the interpreter. Sleeping without the GIL, they
// overlap (measured: 50.4–55.0 ms, idle or beside a busy process); holding it, they take 200.
TEST(SleepReleasingTheGil, LetsIoBoundThreadsOverlap) {
  gil::NaiveGil lock;  // exercise 3.1's: even the simplest GIL lets blocked threads overlap
  const auto nap = course::scaled(50ms);
  const toy::Code sleeper(toy::call_repeatedly(
      "sleep", 1, std::chrono::duration_cast<std::chrono::milliseconds>(nap).count()));
  const auto run = run_threads(lock, sleeper, 4, {gil::sleep_releasing_the_gil()});
  course::record_figure("4 sleeps", course::format_millis(run.elapsed),
                        "< " + course::format_millis(2 * nap));
  EXPECT_EQ(run.max_holders, 1);
  EXPECT_TRUE(course::took_at_most(run.elapsed, 2 * nap))
      << "4 threads that sleep " << course::format_millis(nap)
      << " each in the interpreter must overlap: the sleep must not hold the GIL\n"
      << run.timeline;
}

}  // namespace
