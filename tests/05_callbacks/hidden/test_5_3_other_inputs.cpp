// Exercise 5.3's hidden tests: the same properties as the visible ones, on other inputs drawn at
// random — a solution that fits the visible cases only (two or three callbacks, three users)
// fails here. Left out of what students receive; the rubric marks them hidden.
#include <algorithm>
#include <chrono>
#include <cstddef>
#include <functional>
#include <numeric>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <course/loop_clock.hpp>
#include <course/testing.hpp>

#include "../loop_testing.hpp"
#include "users.hpp"
#include "when_all.hpp"

namespace {

using namespace std::chrono_literals;
using callbacks::Scheduler;
using callbacks::User;
using callbacks::UserRequest;
using callbacks::when_all;
using loop_testing::at;
using loop_testing::run_on;
using Strings = std::vector<std::string>;

TEST(WhenAll, RandomCountsCalledInRandomOrderGiveTheResultsInTheirOrder) {
  const unsigned seed = std::random_device{}();
  std::mt19937 draw(seed);
  for (int round = 0; round < 30; ++round) {
    const std::size_t count = 1 + draw() % 60;
    std::vector<Strings> done;
    auto callbacks =
        when_all<std::string>(count, [&](Strings results) { done.push_back(std::move(results)); });
    ASSERT_EQ(callbacks.size(), count) << fmt::format("(seed {})", seed);
    std::vector<std::size_t> order(count);
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::shuffle(order.begin(), order.end(), draw);
    const auto value = [round](std::size_t i) { return fmt::format("r{}-{}", round, i); };
    for (std::size_t k = 0; k < count; ++k) {
      ASSERT_TRUE(done.empty()) << fmt::format(
          "on_all_done ran after {} of {} callbacks: it waits for all (seed {})", k, count, seed);
      callbacks[order[k]](value(order[k]));
    }
    ASSERT_EQ(done.size(), 1U) << fmt::format(
        "on_all_done runs once, after the last of {} callbacks (seed {})", count, seed);
    Strings expected;
    for (std::size_t i = 0; i < count; ++i) expected.push_back(value(i));
    ASSERT_EQ(done[0], expected) << fmt::format(
        "{} results in the order of the callbacks, not in the order they came (seed {})", count,
        seed);
    EXPECT_THROW(callbacks[order[draw() % count]]("again"), std::logic_error)
        << fmt::format("(seed {})", seed);
    EXPECT_EQ(done.size(), 1U) << fmt::format("(seed {})", seed);
  }
}

TEST(FetchAllAsync, ManyUsersWithRandomDelaysTakeTheLongestDelay) {
  const unsigned seed = std::random_device{}();
  std::mt19937 draw(seed);
  for (int round = 0; round < 20; ++round) {
    course::ManualClock clock;
    clock.advance(std::chrono::milliseconds(draw() % 500));
    const auto start = clock.now();
    Scheduler loop(clock);
    std::vector<UserRequest> requests;
    const int count = 4 + static_cast<int>(draw() % 40);
    for (int i = 0; i < count; ++i) {
      requests.push_back(
          {static_cast<int>(draw() % 10'000), std::chrono::milliseconds(1 + draw() % 400)});
    }
    Strings started;
    const callbacks::FetchUserAsync fetch = [&](Scheduler& on, const UserRequest& request,
                                                callbacks::OnUser on_done) {
      started.push_back(fmt::format("{}@{}", request.id, at(clock.now())));
      callbacks::fetch_user_async(on, request, std::move(on_done));
    };
    Strings done;
    std::vector<User> users;
    callbacks::fetch_all_async(
        loop, requests,
        [&](std::vector<User> answer) {
          done.push_back(at(clock.now()));
          users = std::move(answer);
        },
        fetch);
    Strings expected_started;
    std::vector<User> expected_users;
    auto longest = callbacks::Duration::zero();
    for (const UserRequest& request : requests) {
      expected_started.push_back(fmt::format("{}@{}", request.id, at(start)));
      expected_users.push_back({request.id, fmt::format("user {}", request.id)});
      longest = std::max(longest, request.delay);
    }
    ASSERT_EQ(started, expected_started) << fmt::format(
        "all {} requests start at once, each exactly once, in their order (seed {})", count, seed);
    run_on(loop, clock);
    ASSERT_EQ(done, (Strings{at(start + longest)})) << fmt::format(
        "on_done runs once, when the slowest of {} requests has answered (seed {})", count, seed);
    ASSERT_EQ(users, expected_users) << fmt::format("in the order of the requests (seed {})", seed);
  }
}

}  // namespace
