// Exercise 2.2: the notebooks' workers finish in the order of their sleeps, not of their start.
#include <algorithm>
#include <atomic>
#include <latch>
#include <numeric>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <course/testing.hpp>

#include "finishing_order.hpp"

namespace {

using namespace std::chrono_literals;
using threads::finishing_order;

// Worker i sleeps until `units[i]` units after the call: the deadlines are fixed before any
// thread starts, so a thread that starts a little late still wakes at its time.
struct SleepingWorkers {
  explicit SleepingWorkers(std::vector<int> sleeps) : units(std::move(sleeps)) {}

  std::chrono::nanoseconds unit = course::scaled(30ms);
  std::vector<int> units;
  std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now();
  course::ActivityGauge gauge;

  void operator()(int i) {
    const auto active = gauge.enter();
    std::this_thread::sleep_until(start + units.at(static_cast<std::size_t>(i)) * unit);
  }
};

TEST(FinishingOrder, FollowsTheSleepsNotTheStarts) {
  // 30 ms apart: far more than a sleep's lateness (a few ms, even on a busy machine).
  SleepingWorkers workers({4, 0, 3, 1, 2});
  const auto order = finishing_order(5, std::ref(workers));
  EXPECT_EQ(order, (std::vector<int>{1, 3, 4, 2, 0}))
      << "worker 1 sleeps least, worker 0 most: they must all be asleep at the same time";
  EXPECT_GE(workers.gauge.peak(), 2) << "the workers never worked at the same time";
}

TEST(FinishingOrder, TakesAboutTheLongestSleep) {
  SleepingWorkers workers({4, 2, 3});
  const auto elapsed = course::time_once([&] { (void)finishing_order(3, std::ref(workers)); });
  EXPECT_TRUE(course::took_at_least(elapsed, 4 * workers.unit));
  EXPECT_TRUE(course::took_at_most(elapsed, course::generous(4 * workers.unit)))
      << "the workers must sleep at the same time";
  // Workers run one after another (a lock held around work()) take the longest sleep too: each
  // sleeps until a fixed time, and the later ones find theirs passed. Only overlap tells.
  EXPECT_GE(workers.gauge.peak(), 2)
      << "the workers never worked at the same time: is work() called under a lock?";
}

// 64 workers that wait for one another, then all append to the list at the same moment;
// twenty times. Without a lock, entries are lost, or the vector is corrupted — usually, not
// always: `tools/grade --sanitize thread` finds every race.
TEST(FinishingOrder, RecordsEveryWorkerOnce) {
  static constexpr int kWorkers = 64;
  // If they never all arrive, the count of workers in work() and of threads alive tells why.
  std::atomic<int> working{0};
  const int threads_before = course::threads_in_this_process();
  const course::DeadlineNote note([&working, threads_before] {
    const int in_work = working.load();
    const int started = course::threads_in_this_process() - threads_before;
    if (started >= kWorkers && in_work < kWorkers) {
      return fmt::format(
          "the workers wait for one another; all {} were started, but only {} got into work():\n"
          "the others wait for a lock that a worker holds while it works. Take the lock only to "
          "append.",
          kWorkers, in_work);
    }
    return fmt::format(
        "the workers wait for one another, but only {} of the {} were running:\n"
        "they must all be started before any is joined.",
        std::max(started, 0), kWorkers);
  });
  for (int round = 0; round < 20; ++round) {
    std::latch all_working(kWorkers);
    working = 0;
    auto order = finishing_order(kWorkers, [&](int) {
      ++working;
      all_working.arrive_and_wait();
    });
    ASSERT_EQ(order.size(), std::size_t{kWorkers})
        << "round " << round << ": every worker appears once: guard the list with a mutex";
    std::sort(order.begin(), order.end());
    std::vector<int> everyone(kWorkers);
    std::iota(everyone.begin(), everyone.end(), 0);
    ASSERT_EQ(order, everyone) << "each worker's number, once";
  }
}

TEST(FinishingOrder, HandlesNoWorkers) {
  EXPECT_TRUE(finishing_order(0, [](int) {}).empty());
}

}  // namespace
