// Exercise 5.3: asynchronous completion callbacks, and joining them.
#include <memory>
#include <ostream>
#include <stdexcept>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <course/loop_clock.hpp>
#include <course/testing.hpp>

#include "loop_testing.hpp"
#include "users.hpp"
#include "when_all.hpp"

namespace callbacks {

// How gtest shows a User in a failure: {11, "user 11"}.
inline void PrintTo(const User& user, std::ostream* out) {
  *out << "{" << user.id << ", \"" << user.name << "\"}";
}

}  // namespace callbacks

namespace {

using namespace std::chrono_literals;
using callbacks::Scheduler;
using callbacks::User;
using callbacks::UserRequest;
using callbacks::when_all;
using loop_testing::at;
using loop_testing::run_on;
using Strings = std::vector<std::string>;

TEST(WhenAll, GivesTheResultsInTheOrderOfTheCallbacks) {
  std::vector<std::vector<std::string>> done;
  auto callbacks = when_all<std::string>(
      3, [&](std::vector<std::string> results) { done.push_back(std::move(results)); });
  ASSERT_EQ(callbacks.size(), 3U) << "one callback per operation to wait for";
  callbacks[2]("c");
  callbacks[0]("a");
  EXPECT_TRUE(done.empty()) << "on_all_done must wait for every callback: 1 of 3 is missing";
  callbacks[1]("b");
  ASSERT_EQ(done.size(), 1U) << "on_all_done runs once, when the last callback has been called";
  EXPECT_EQ(done[0], (Strings{"a", "b", "c"}))
      << "results in the order of the callbacks (of the requests), not in the order they came";
}

TEST(WhenAll, NothingToWaitForIsDoneAtOnce) {
  int calls = 0;
  const auto callbacks = when_all<int>(0, [&](const std::vector<int>& results) {
    ++calls;
    EXPECT_TRUE(results.empty());
  });
  EXPECT_TRUE(callbacks.empty());
  EXPECT_EQ(calls, 1) << "when_all(0, f) has nothing to wait for: it calls f({}) at once";
}

TEST(WhenAll, ACallbackCalledTwiceIsAnError) {
  int calls = 0;
  auto callbacks = when_all<int>(2, [&](const std::vector<int>&) { ++calls; });
  callbacks[0](1);
  EXPECT_THROW(callbacks[0](1), std::logic_error)
      << "the same operation cannot complete twice: that is a bug, say so";
  EXPECT_EQ(calls, 0) << "a second call of callback 0 is not the completion of callback 1";
  callbacks[1](2);
  EXPECT_EQ(calls, 1);
}

TEST(WhenAll, TheCallbacksOutliveTheCallThatMadeThem) {
  std::vector<int> got;
  std::vector<std::function<void(int)>> callbacks;
  {
    callbacks = when_all<int>(2, [&](std::vector<int> results) { got = std::move(results); });
  }
  const auto second = callbacks[1];
  callbacks[0](10);
  callbacks.clear();  // the first callback is gone; the second still works
  second(20);
  EXPECT_EQ(got, (std::vector<int>{10, 20}));
}

TEST(FetchUserAsync, AnswersLaterFromTheLoop) {
  course::ManualClock clock;
  Scheduler loop(clock);
  Strings answers;
  callbacks::fetch_user_async(loop, UserRequest{7, 30ms}, [&](const User& user) {
    answers.push_back(user.name + "@" + at(clock.now()));
    EXPECT_EQ(user.id, 7) << "the user of the request (id 7), copied into the callback";
  });
  EXPECT_TRUE(answers.empty())
      << "fetch_user_async returns at once; its callback runs later, from the loop";
  run_on(loop, clock);
  EXPECT_EQ(answers, (Strings{"user 7@30ms"})) << "the answer comes once, one delay later";
}

TEST(FetchUserAsync, KeepsWhatItNeedsAfterItReturns) {
  course::ManualClock clock;
  Scheduler loop(clock);
  std::vector<User> answers;
  for (int id = 1; id <= 3; ++id) {
    const UserRequest request{id * 11, id * 1ms};  // gone when this iteration ends
    callbacks::fetch_user_async(loop, request, [&](User user) { answers.push_back(user); });
  }
  run_on(loop, clock);
  EXPECT_EQ(answers, (std::vector<User>{{11, "user 11"}, {22, "user 22"}, {33, "user 33"}}))
      << "the request was gone long before the answer: the callback must own copies";
}

// A pretend server: fetch_user_async, recording when each request started and answered.
struct RecordingServer {
  explicit RecordingServer(const course::LoopClock& clock) : clock(clock) {}
  callbacks::FetchUserAsync fetch() {
    return [this](Scheduler& loop, const UserRequest& request, callbacks::OnUser on_done) {
      started.push_back(fmt::format("{}@{}", request.id, at(clock.now())));
      auto span = std::make_shared<course::SpanRecorder::Scope>(
          recorder.span(fmt::format("user {}", request.id)));
      callbacks::fetch_user_async(loop, request,
                                  [span, on_done = std::move(on_done)](User user) mutable {
                                    span.reset();  // the answer is in: the span ends
                                    on_done(std::move(user));
                                  });
    };
  }
  const course::LoopClock& clock;
  Strings started;
  course::SpanRecorder recorder;
};

TEST(FetchAllAsync, ThreeUsersTakeOneDelayNotThree) {
  course::ManualClock clock;
  Scheduler loop(clock);
  RecordingServer server(clock);
  const std::vector<UserRequest> requests{{1, 30ms}, {2, 10ms}, {3, 20ms}};
  Strings done;
  std::vector<User> users;
  callbacks::fetch_all_async(
      loop, requests,
      [&](std::vector<User> answer) {
        done.push_back(at(clock.now()));
        users = std::move(answer);
      },
      server.fetch());
  EXPECT_EQ(server.started, (Strings{"1@0ms", "2@0ms", "3@0ms"}))
      << "every request starts at once, each exactly once, before any has answered";
  run_on(loop, clock);
  EXPECT_EQ(done, (Strings{"30ms"}))
      << "on_done runs once, when the slowest of the three has answered: the waits overlap "
         "(30 ms, not 10 + 20 + 30)";
  EXPECT_EQ(users, (std::vector<User>{{1, "user 1"}, {2, "user 2"}, {3, "user 3"}}))
      << "in the order of the requests, although user 2 answered first";
}

TEST(FetchAllAsync, NoRequestsGiveNoUsers) {
  course::ManualClock clock;
  Scheduler loop(clock);
  RecordingServer server(clock);
  int calls = 0;
  callbacks::fetch_all_async(
      loop, {},
      [&](const std::vector<User>& users) {
        ++calls;
        EXPECT_TRUE(users.empty());
      },
      server.fetch());
  run_on(loop, clock);
  EXPECT_EQ(calls, 1) << "with nothing to fetch, on_done still comes, once, with no users";
  EXPECT_TRUE(server.started.empty());
}

// The notebooks' three users on one thread: about one delay, where chapter 1 took three.
TEST(FetchAllAsync, ThreeUsersOnTheRealClockTakeAboutOneDelay) {
  Scheduler loop;
  RecordingServer server(course::steady_loop_clock());
  const auto delay = course::scaled(50ms);
  const std::vector<UserRequest> requests{{1, delay}, {2, delay}, {3, delay}};
  std::vector<User> users;
  const course::Millis wall = course::time_once([&] {
    callbacks::fetch_all_async(
        loop, requests, [&](std::vector<User> answer) { users = std::move(answer); },
        server.fetch());
    loop.run();
  });
  course::record_figure("3 users", course::format_millis(wall),
                        "≈ " + course::format_millis(delay) + ", not 3×");
  EXPECT_EQ(users.size(), 3U);
  EXPECT_TRUE(course::took_at_least(wall, delay));
  EXPECT_TRUE(course::took_at_most(wall, course::generous(delay)))
      << "three requests of " << course::format_millis(delay) << " should wait at the same time:\n"
      << server.recorder.timeline();
  EXPECT_EQ(server.recorder.peak_overlap(), 3) << "the three waits must overlap:\n"
                                               << server.recorder.timeline();
}

}  // namespace
