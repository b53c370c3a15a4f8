// Exercise 7.3: gather — tasks run concurrently, results in argument order, the first error
// cancels the rest.
#include <chrono>
#include <stdexcept>
#include <string>
#include <tuple>
#include <variant>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <course/loop_clock.hpp>
#include <course/testing.hpp>

#include "event_loop.hpp"
#include "gather.hpp"
#include "loop_testing.hpp"
#include "sleep.hpp"
#include "task.hpp"

namespace {

using namespace std::chrono_literals;
using coro::EventLoop;
using coro::Task;
using loop_testing::at;
using loop_testing::Guard;
using loop_testing::run_on;
using loop_testing::Strings;
using loop_testing::Trace;

constexpr auto kUnit = 10ms;  // one of the notebooks' seconds

Task<int> waits_and_gives(int units, Trace& trace) {
  co_await coro::sleep(units * kUnit);
  trace.add(fmt::format("{} done", units));
  co_return units * 100;
}

Task<std::vector<int>> gathers_3_10_1(Trace& trace) {
  auto [a, b, c] = co_await coro::gather(waits_and_gives(3, trace), waits_and_gives(10, trace),
                                         waits_and_gives(1, trace));
  co_return std::vector<int>{a, b, c};
}

// The notebooks: gather of delays 3, 10 and 1 — they end in the order 1, 3, 10, and gather
// gives [300, 1000, 100], in the order they were passed.
TEST(Gather, GivesTheResultsInArgumentOrderWhateverOrderTheyEndIn) {
  course::ManualClock clock;
  EventLoop loop(clock);
  Trace trace(clock);
  EXPECT_EQ(run_on(loop, clock, gathers_3_10_1(trace)), (std::vector<int>{300, 1000, 100}))
      << "gather's results come in the order of its arguments";
  EXPECT_EQ(trace.entries(), (Strings{"1 done@10ms", "3 done@30ms", "10 done@100ms"}))
      << "the tasks run concurrently and end in the order of their delays";
  EXPECT_EQ(at(clock.now()), "100ms") << "gather takes as long as its longest task, not the sum";
}

// The notebooks' cake: 15 minutes of dough — work the cook cannot leave, so the clock is moved
// by hand, as a blocking call would move it — then 45 minutes in the oven, which only need
// waiting for.
Task<> bake_cake(course::ManualClock& clock, Trace& trace) {
  clock.advance(15 * kUnit);  // the dough
  trace.add("dough ready");
  co_await coro::sleep(45 * kUnit);  // the oven
  trace.add("cake baked");
}

Task<> buy_groceries(Trace& trace) {
  co_await coro::sleep(20 * kUnit);
  trace.add("groceries bought");
}

Task<> one_after_the_other(course::ManualClock& clock, Trace& trace) {
  co_await bake_cake(clock, trace);
  co_await buy_groceries(trace);
}

Task<> both_at_once(course::ManualClock& clock, Trace& trace) {
  const auto done = co_await coro::gather(bake_cake(clock, trace), buy_groceries(trace));
  static_assert(std::is_same_v<std::remove_const_t<decltype(done)>,
                               std::tuple<std::monostate, std::monostate>>,
                "a Task<void> gives std::monostate in gather's tuple");
}

TEST(Gather, TheCakeAndTheGroceriesTakeSixtyMinutesInsteadOfEighty) {
  {
    course::ManualClock clock;
    EventLoop loop(clock);
    Trace trace(clock);
    run_on(loop, clock, one_after_the_other(clock, trace));
    EXPECT_EQ(at(clock.now()), "800ms") << "one after the other: 15 + 45 + 20 minutes";
  }
  course::ManualClock clock;
  EventLoop loop(clock);
  Trace trace(clock);
  run_on(loop, clock, both_at_once(clock, trace));
  EXPECT_EQ(trace.entries(),
            (Strings{"dough ready@150ms", "groceries bought@350ms", "cake baked@600ms"}))
      << "the dough first (15), then, while the cake is in the oven, the groceries (15 + 20)";
  EXPECT_EQ(at(clock.now()), "600ms") << "concurrently: 60 minutes, not 80";
}

Task<std::string> fetch_user(int id) {
  co_await coro::sleep(kUnit);
  co_return fmt::format("user {}", id);
}

Task<std::vector<std::string>> fetch_all() {
  std::vector<Task<std::string>> fetches;
  for (int id = 1; id <= 3; ++id) fetches.push_back(fetch_user(id));
  co_return co_await coro::gather(std::move(fetches));
}

TEST(Gather, AVectorOfThreeUsersTakesOneDelay) {
  course::ManualClock clock;
  EventLoop loop(clock);
  EXPECT_EQ(run_on(loop, clock, fetch_all()),
            (std::vector<std::string>{"user 1", "user 2", "user 3"}));
  EXPECT_EQ(at(clock.now()), "10ms") << "gather over a vector: three fetches, one delay";
}

Task<int> holds_a_guard(int units, int& released, Trace& trace) {
  const Guard guard(released);
  co_await coro::sleep(units * kUnit);
  trace.add(fmt::format("{} ended", units));
  co_return units;
}

Task<int> fails_after(int units, Trace& trace) {
  co_await coro::sleep(units * kUnit);
  trace.add("failed");
  throw std::runtime_error("the payment service is down");
}

Task<std::string> gathers_a_failure(int& released, Trace& trace) {
  try {
    (void)co_await coro::gather(holds_a_guard(10, released, trace), fails_after(2, trace),
                                holds_a_guard(5, released, trace));
  } catch (const std::runtime_error& error) {
    co_return error.what();
  }
  co_return "no exception";
}

TEST(Gather, TheFirstExceptionCancelsTheOtherTasks) {
  course::ManualClock clock;
  EventLoop loop(clock);
  Trace trace(clock);
  int released = 0;
  EXPECT_EQ(run_on(loop, clock, gathers_a_failure(released, trace)), "the payment service is down")
      << "gather rethrows the exception of the task that failed";
  EXPECT_EQ(trace.entries(), (Strings{"failed@20ms"}))
      << "when one task fails, gather cancels the others (asyncio's TaskGroup): they never end "
         "normally";
  EXPECT_EQ(released, 2) << "the cancelled tasks unwound: their guards were destroyed";
  EXPECT_EQ(at(clock.now()), "20ms") << "gather ended when the failure was known, not at 100 ms";
  EXPECT_EQ(loop.timers_set(), 0U) << "the cancelled sleeps' timers left the loop";
}

Task<int> gathers_two_guards(int& released, Trace& trace) {
  auto [a, b] =
      co_await coro::gather(holds_a_guard(10, released, trace), holds_a_guard(20, released, trace));
  co_return a + b;
}

Task<std::string> cancels_a_gather(int& released, Trace& trace) {
  auto gathering = coro::spawn(gathers_two_guards(released, trace));
  co_await coro::sleep(3 * kUnit);
  gathering.cancel();
  try {
    (void)co_await gathering;
  } catch (const coro::Cancelled&) {
    co_return "cancelled";
  }
  co_return "not cancelled";
}

TEST(Gather, CancellingAGatherCancelsItsTasks) {
  course::ManualClock clock;
  EventLoop loop(clock);
  Trace trace(clock);
  int released = 0;
  EXPECT_EQ(run_on(loop, clock, cancels_a_gather(released, trace)), "cancelled");
  EXPECT_TRUE(trace.entries().empty()) << "neither task of the gather ended normally";
  EXPECT_EQ(released, 2) << "cancelling the task that awaits a gather cancels all its tasks";
  EXPECT_EQ(at(clock.now()), "30ms");
  EXPECT_EQ(loop.timers_set(), 0U);
}

}  // namespace
