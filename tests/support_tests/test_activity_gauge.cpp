// ActivityGauge: how many tasks were active at once.
#include <latch>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include <course/testing.hpp>

namespace {

TEST(ActivityGauge, CountsOneAtATimeAsOne) {
  course::ActivityGauge gauge;
  for (int i = 0; i < 3; ++i) {
    const auto active = gauge.enter();
    EXPECT_EQ(gauge.active(), 1);
  }
  EXPECT_EQ(gauge.active(), 0);
  EXPECT_EQ(gauge.peak(), 1);
}

TEST(ActivityGauge, CountsNestedScopes) {
  course::ActivityGauge gauge;
  {
    const auto outer = gauge.enter();
    const auto inner = gauge.enter();
    EXPECT_EQ(gauge.active(), 2);
  }
  EXPECT_EQ(gauge.active(), 0);
  EXPECT_EQ(gauge.peak(), 2);
}

TEST(ActivityGauge, SeesThreadsThatMeetInsideTheirWork) {
  constexpr int kThreads = 4;
  course::ActivityGauge gauge;
  std::latch all_inside(kThreads);
  {
    std::vector<std::jthread> threads;
    for (int i = 0; i < kThreads; ++i) {
      threads.emplace_back([&] {
        const auto active = gauge.enter();
        all_inside.arrive_and_wait();  // nobody leaves before everyone is in
      });
    }
  }
  EXPECT_EQ(gauge.peak(), kThreads);
  EXPECT_EQ(gauge.active(), 0);
}

TEST(ActivityGauge, SeesThreadsRunOneAfterAnotherAsOne) {
  // Starting and joining each thread in the same loop: the trap chapter 2 teaches.
  course::ActivityGauge gauge;
  for (int i = 0; i < 4; ++i) {
    std::jthread([&gauge] { const auto active = gauge.enter(); }).join();
  }
  EXPECT_EQ(gauge.peak(), 1);
}

TEST(ActivityGauge, AMovedScopeLeavesOnce) {
  course::ActivityGauge gauge;
  {
    auto first = gauge.enter();
    const auto second = std::move(first);
    EXPECT_EQ(gauge.active(), 1);
  }
  EXPECT_EQ(gauge.active(), 0);
}

}  // namespace
