// Exercise 5.2: a single-threaded scheduler, on a ManualClock (exact) and on the real clock.
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include <sys/resource.h>

#include <gtest/gtest.h>

#include <course/exception_message.hpp>
#include <course/loop_clock.hpp>
#include <course/testing.hpp>

#include "loop_testing.hpp"
#include "scheduler.hpp"

namespace {

using namespace std::chrono_literals;
using callbacks::Handle;
using callbacks::Scheduler;
using loop_testing::at;
using loop_testing::run_on;
using loop_testing::Trace;
using Strings = std::vector<std::string>;

TEST(Scheduler, RunsCallbacksInDeadlineOrder) {
  course::ManualClock clock;
  Scheduler loop(clock);
  Trace trace(clock);
  loop.call_later(30ms, trace.record("c"));
  loop.call_later(10ms, trace.record("a"));
  loop.call_at(callbacks::TimePoint{} + 20ms, trace.record("b"));
  loop.call_soon(trace.record("soon"));
  run_on(loop, clock);
  EXPECT_EQ(trace.entries(), (Strings{"soon@0ms", "a@10ms", "b@20ms", "c@30ms"}))
      << "each callback runs when its deadline comes, earliest first, whatever order they were "
         "scheduled in";
}

TEST(Scheduler, SameDeadlineRunsInSchedulingOrder) {
  course::ManualClock clock;
  Scheduler loop(clock);
  Trace trace(clock);
  for (const char* label : {"s1", "s2", "s3", "s4", "s5"}) loop.call_soon(trace.record(label));
  loop.call_later(5ms, trace.record("t1"));
  loop.call_at(callbacks::TimePoint{} + 5ms, trace.record("t2"));
  loop.call_later(5ms, trace.record("t3"));
  loop.call_later(5ms, trace.record("t4"));
  run_on(loop, clock);
  EXPECT_EQ(trace.entries(), (Strings{"s1@0ms", "s2@0ms", "s3@0ms", "s4@0ms", "s5@0ms", "t1@5ms",
                                      "t2@5ms", "t3@5ms", "t4@5ms"}))
      << "callbacks due at the same moment run in the order they were scheduled (first in, first "
         "out): break ties by a counter of scheduling, since a heap alone does not keep order";
}

TEST(Scheduler, CallbacksMayScheduleCallbacks) {
  course::ManualClock clock;
  Scheduler loop(clock);
  Trace trace(clock);
  loop.call_soon([&] {
    trace.add("a");
    loop.call_later(10ms, [&] {
      trace.add("b");
      loop.call_soon([&] {
        trace.add("c");
        loop.call_soon(trace.record("e"));
      });
      loop.call_later(5ms, trace.record("d"));
    });
  });
  run_on(loop, clock);
  EXPECT_EQ(trace.entries(), (Strings{"a@0ms", "b@10ms", "c@10ms", "e@10ms", "d@15ms"}))
      << "what a callback schedules runs in the same run(), when it is due";
}

TEST(Scheduler, CallLaterCountsFromTheMomentOfTheCall) {
  course::ManualClock clock;
  Scheduler loop(clock);
  Trace trace(clock);
  clock.advance(100ms);
  loop.call_later(50ms, trace.record("scheduled at 100ms"));
  clock.advance(20ms);  // time passes between scheduling and run()
  loop.call_at(callbacks::TimePoint{} + 200ms, [&] {
    trace.add("at 200ms");
    loop.call_later(30ms, trace.record("scheduled at 200ms"));
  });
  run_on(loop, clock);
  EXPECT_EQ(trace.entries(),
            (Strings{"scheduled at 100ms@150ms", "at 200ms@200ms", "scheduled at 200ms@230ms"}))
      << "call_later(d) is due d after the moment of the call — not after run() started, nor "
         "after the loop last woke";
}

TEST(Scheduler, RunEndsWhenNothingIsLeft) {
  course::ManualClock clock;
  Scheduler loop(clock);
  run_on(loop, clock);
  EXPECT_EQ(at(clock.now()), "0ms") << "with nothing scheduled, run() returns at once";
  Trace trace(clock);
  loop.call_later(10ms, trace.record("a"));
  loop.call_later(25ms, trace.record("b"));
  run_on(loop, clock);
  EXPECT_EQ(trace.entries(), (Strings{"a@10ms", "b@25ms"}));
  EXPECT_EQ(at(clock.now()), "25ms") << "after the last callback, run() returns: no more waiting";
  loop.call_later(5ms, trace.record("c"));
  run_on(loop, clock);
  EXPECT_EQ(trace.entries().back(), "c@30ms") << "the loop can run again later";
}

TEST(Scheduler, CancelStopsACallbackUntilItHasRun) {
  course::ManualClock clock;
  Scheduler loop(clock);
  Trace trace(clock);
  Handle a = loop.call_later(10ms, trace.record("a"));
  Handle b = loop.call_later(20ms, trace.record("b"));
  Handle d = loop.call_later(40ms, trace.record("d"));
  Handle c;
  c = loop.call_later(30ms, [&] {
    trace.add("c");
    EXPECT_TRUE(d.cancel()) << "a callback may cancel another one that has not run yet";
    EXPECT_FALSE(c.cancel()) << "a callback that has started cannot be cancelled any more";
  });
  EXPECT_TRUE(a.pending() && b.pending()) << "scheduled, not run: pending";
  EXPECT_TRUE(b.cancel()) << "cancel() returns true when it stopped the callback";
  EXPECT_FALSE(b.pending()) << "a cancelled callback is no longer pending";
  EXPECT_FALSE(b.cancel()) << "cancelling twice stops nothing the second time";
  run_on(loop, clock);
  EXPECT_EQ(trace.entries(), (Strings{"a@10ms", "c@30ms"}))
      << "b was cancelled before run(), d by c";
  EXPECT_FALSE(a.pending()) << "a callback that ran is not pending";
  EXPECT_FALSE(a.cancel()) << "cancel() after the callback ran stops nothing: false";
  EXPECT_FALSE(Handle{}.cancel()) << "a handle to nothing cancels nothing";
  EXPECT_FALSE(Handle{}.pending());
}

TEST(Scheduler, CancelledCallbacksDoNotKeepTheLoopWaiting) {
  course::ManualClock clock;
  Scheduler loop(clock);
  Trace trace(clock);
  Handle far = loop.call_later(1h, trace.record("far"));
  Handle later = loop.call_later(2h, trace.record("later"));
  loop.call_later(10ms, trace.record("a"));
  loop.call_later(20ms, [&] { later.cancel(); });
  far.cancel();
  run_on(loop, clock);
  EXPECT_EQ(trace.entries(), (Strings{"a@10ms"}));
  EXPECT_EQ(at(clock.now()), "20ms")
      << "run() must end once nothing but cancelled callbacks is left, without waiting for "
         "their deadlines (1 h and 2 h here)";
}

TEST(Scheduler, LetsGoOfACallbackOnceItHasRunOrWasCancelled) {
  course::ManualClock clock;
  Scheduler loop(clock);
  const auto payload = std::make_shared<int>(42);
  Handle cancelled = loop.call_later(1h, [payload] {});
  Handle ran = loop.call_soon([payload] {});
  ASSERT_EQ(payload.use_count(), 3) << "each callback holds a copy of the payload";
  cancelled.cancel();
  EXPECT_EQ(payload.use_count(), 2)
      << "cancel() lets go of the callback, and of what it captured, at once — not when its "
         "deadline (an hour from now) comes";
  run_on(loop, clock);
  EXPECT_EQ(payload.use_count(), 1)
      << "a callback that has run is let go of, even while its handle is kept";
}

TEST(Scheduler, WaitsOnceForEachDeadlineInsteadOfPolling) {
  course::ManualClock clock;
  Scheduler loop(clock);
  Trace trace(clock);
  loop.call_soon(trace.record("now"));
  loop.call_later(10ms, trace.record("a"));
  loop.call_later(10ms, trace.record("b"));
  loop.call_later(40ms, trace.record("c"));
  run_on(loop, clock);
  std::vector<std::string> waits;
  for (const auto deadline : clock.waits()) waits.push_back(at(deadline));
  EXPECT_EQ(waits, (Strings{"10ms", "40ms"}))
      << "the loop waits (through its clock) once for each deadline it has to wait for, and "
         "until that deadline: not in small steps, and not when something is already due";
  EXPECT_EQ(trace.entries(), (Strings{"now@0ms", "a@10ms", "b@10ms", "c@40ms"}))
      << "each at its deadline, a before b (see SameDeadlineRunsInSchedulingOrder)";
}

TEST(Scheduler, TakesItsTimeFromTheClockItIsGiven) {
  course::ManualClock clock;
  Scheduler loop(clock);
  Trace trace(clock);
  clock.advance(5ms);
  EXPECT_EQ(loop.now(), clock.now());
  loop.call_later(1h, trace.record("an hour later"));
  const auto wall = course::time_once([&] { run_on(loop, clock); });
  EXPECT_EQ(trace.entries(), (Strings{"an hour later@3600005ms"}));
  EXPECT_LT(wall, 1s) << "on a ManualClock an hour passes at once: the loop must read and wait "
                         "through the clock it was given, not steady_clock";
}

TEST(Scheduler, ExceptionsGoToTheHandlerAndTheLoopGoesOn) {
  course::ManualClock clock;
  Scheduler loop(clock);
  Trace trace(clock);
  Strings errors;
  loop.set_exception_handler([&](const std::exception_ptr& error) {
    errors.push_back(course::exception_message(error) + "@" + at(clock.now()));
  });
  loop.call_soon([] { throw std::runtime_error("a failed"); });
  loop.call_soon(trace.record("b"));
  loop.call_later(10ms, [] { throw std::invalid_argument("c failed"); });
  loop.call_later(20ms, trace.record("d"));
  EXPECT_NO_THROW(run_on(loop, clock)) << "an exception from a callback must not leave run()";
  EXPECT_EQ(errors, (Strings{"a failed@0ms", "c failed@10ms"}))
      << "each exception goes to the exception handler, once, when it happens";
  EXPECT_EQ(trace.entries(), (Strings{"b@0ms", "d@20ms"}))
      << "the loop goes on after a callback threw";
}

TEST(Scheduler, TheDefaultHandlerPrintsTheException) {
  course::ManualClock clock;
  Scheduler loop(clock);
  Trace trace(clock);
  loop.call_soon([] { throw std::runtime_error("boom in a callback"); });
  loop.call_later(1ms, trace.record("after"));
  testing::internal::CaptureStderr();
  EXPECT_NO_THROW(run_on(loop, clock));
  const std::string printed = testing::internal::GetCapturedStderr();
  EXPECT_NE(printed.find("boom in a callback"), std::string::npos)
      << "without a handler of its own, the loop prints the exception's message to stderr; it "
         "printed: \""
      << printed << "\"";
  EXPECT_EQ(trace.entries(), (Strings{"after@1ms"}));
}

// Measured on the 2-core machine (6 runs each): a loop waiting 200 ms for its timer used
// 0.0–0.2 ms of CPU, idle and beside stress-ng --cpu 1 or --cpu 2. A loop that spins on now()
// instead uses the whole 200 ms; CPU time, unlike wall time, a busy machine does not inflate.
TEST(Scheduler, SleepsUntilTheNextDeadlineWithoutUsingTheCpu) {
  Scheduler loop;  // the real clock
  const auto delay = course::scaled(200ms);
  bool ran = false;
  loop.call_later(delay, [&] { ran = true; });
  const course::Millis cpu_before = course::rusage_cpu_time(RUSAGE_THREAD);
  const course::Millis wall = course::time_once([&] { loop.run(); });
  const course::Millis cpu = course::rusage_cpu_time(RUSAGE_THREAD) - cpu_before;
  course::record_figure("CPU while waiting", course::format_millis(cpu),
                        "< 10% of " + course::format_millis(wall));
  EXPECT_TRUE(ran);
  EXPECT_TRUE(course::took_at_least(wall, delay)) << "the callback is not due before its delay";
  EXPECT_LT(cpu, wall / 10) << "waiting " << course::format_millis(wall) << " for a timer used "
                            << course::format_millis(cpu)
                            << " of CPU: the loop must sleep until the deadline (through its "
                               "clock's wait_until), not check the time over and over";
}

TEST(Scheduler, RealTimersRunOnTimeAndInOrder) {
  Scheduler loop;
  const auto step = course::scaled(20ms);
  const auto start = std::chrono::steady_clock::now();
  std::vector<std::pair<std::string, course::Millis>> ran;
  for (const auto& [label, n] : {std::pair{"c", 3}, {"a", 1}, {"b", 2}}) {
    loop.call_later(n * step, [&ran, &start, label = std::string(label)] {
      ran.emplace_back(label, std::chrono::steady_clock::now() - start);
    });
  }
  loop.run();
  ASSERT_EQ(ran.size(), 3U);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(ran[i].first, std::string(1, static_cast<char>('a' + i)));
    EXPECT_TRUE(course::took_at_least(ran[i].second, (i + 1) * step))
        << ran[i].first << " ran before its deadline";
  }
  EXPECT_TRUE(course::took_at_most(ran[2].second, course::generous(3 * step)))
      << "the last timer came late: does the loop wait longer than the next deadline?";
}

}  // namespace
