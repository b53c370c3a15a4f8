// Exercise 1.3: blocking calls add up.
#include <atomic>
#include <stdexcept>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <course/testing.hpp>

#include "users.hpp"

namespace {

using namespace std::chrono_literals;
using synchronous::fetch_all;
using synchronous::User;
using synchronous::UserRequest;

// A pretend server: each call blocks for the request's delay, like fetch_user, and records
// when it ran so that a failure can show the timeline.
class FakeServer {
 public:
  synchronous::FetchUser fetch() {
    return [this](const UserRequest& request) {
      ++calls_;
      auto span = recorder_.span(fmt::format("fetch user {}", request.id));
      if (request.id == fail_for_) throw std::runtime_error("the server is down");
      std::this_thread::sleep_for(request.delay);
      return User{request.id, fmt::format("user {}", request.id)};
    };
  }
  void fail_for(int id) { fail_for_ = id; }
  [[nodiscard]] int calls() const { return calls_; }
  [[nodiscard]] const course::SpanRecorder& recorder() const { return recorder_; }

 private:
  std::atomic<int> calls_{0};
  int fail_for_ = -1;
  course::SpanRecorder recorder_;
};

TEST(FetchAll, ReturnsTheUsersInRequestOrder) {
  FakeServer server;
  const std::vector<UserRequest> requests{{3, 1ms}, {1, 1ms}, {2, 1ms}};
  const auto result = fetch_all(requests, server.fetch());
  const std::vector<User> expected{{3, "user 3"}, {1, "user 1"}, {2, "user 2"}};
  EXPECT_EQ(result.value, expected) << "the users must come back in the order of the requests";
  EXPECT_EQ(server.calls(), 3) << "each request is fetched exactly once";
}

// The notebooks' three users: each call blocks, so the second cannot start before the first has
// answered, and the total is the sum of the delays.
TEST(FetchAll, TakesTheSumOfTheDelays) {
  FakeServer server;
  const auto delay = course::scaled(20ms);
  const std::vector<UserRequest> requests{{1, delay}, {2, delay}, {3, delay}};
  const auto result = fetch_all(requests, server.fetch());
  const course::Millis sum = 3 * delay;
  course::record_figure("elapsed", course::format_millis(result.elapsed),
                        "≥ " + course::format_millis(sum));
  EXPECT_TRUE(course::took_at_least(result.elapsed, sum))
      << "3 blocking calls of " << course::format_millis(delay) << " each must take "
      << course::format_millis(sum) << " together: measure around all of them.\n"
      << server.recorder().timeline();
  EXPECT_TRUE(course::took_at_most(result.elapsed, course::generous(sum)))
      << "the calls themselves took no longer than that:\n"
      << server.recorder().timeline();
  EXPECT_EQ(server.recorder().peak_overlap(), 1) << "the calls must run one after another:\n"
                                                 << server.recorder().timeline();
}

TEST(FetchAll, HandlesNoRequests) {
  FakeServer server;
  const auto result = fetch_all({}, server.fetch());
  EXPECT_TRUE(result.value.empty());
  EXPECT_EQ(server.calls(), 0);
}

TEST(FetchAll, StopsAtTheFirstFailure) {
  FakeServer server;
  server.fail_for(2);
  const std::vector<UserRequest> requests{{1, 1ms}, {2, 1ms}, {3, 1ms}};
  EXPECT_THROW((void)fetch_all(requests, server.fetch()), std::runtime_error)
      << "when a call fails, its exception must reach fetch_all's caller";
  EXPECT_EQ(server.calls(), 2)
      << "a blocking program stops at the failing call: request 3 must not be made";
}

TEST(FetchAll, UsesTheRealBlockingCallByDefault) {
  const auto delay = course::scaled(10ms);
  const std::vector<UserRequest> requests{{7, delay}, {8, delay}};
  const auto result = fetch_all(requests);
  const std::vector<User> expected{{7, "user 7"}, {8, "user 8"}};
  EXPECT_EQ(result.value, expected);
  EXPECT_TRUE(course::took_at_least(result.elapsed, 2 * delay))
      << "fetch_user sleeps for each request's delay, and the calls come one after another: "
         "measure around all of them";
}

}  // namespace
