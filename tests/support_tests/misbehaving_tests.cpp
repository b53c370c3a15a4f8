// Tests that misbehave on purpose: they get stuck, let a forked child run on in the test, let an
// exception leave a thread, need more cores than any machine has, or fail with spans recorded.
// The support library's own tests run them one at a time, each in a process of its own, and
// check what the watchdog and the skip macros make of them. Never part of a chapter.
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <future>
#include <latch>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <course/not_implemented.hpp>
#include <course/testing.hpp>

namespace {

using namespace std::chrono_literals;

TEST(Stuck, JoinsAThreadThatNeverEnds) {
  course::set_deadline(300ms);
  const course::DeadlineNote note("note: the worker waits for a promise");
  std::promise<void> never_kept;
  std::thread worker([ready = never_kept.get_future()] { ready.wait(); });
  worker.join();  // never returns
}

TEST(Stuck, SpinsForever) {
  course::set_deadline(300ms);
  volatile bool forever = true;
  while (forever) {
  }
}

std::mutex held_forever;

TEST(Stuck, LeavesANoteThatBlocks) {
  course::set_deadline(300ms);
  const course::DeadlineNote note(std::function<std::string()>([] {
    const std::lock_guard lock(held_forever);  // the stuck thread below holds it
    return std::string("never printed");
  }));
  std::thread holder([] {
    held_forever.lock();
    std::promise<void>().get_future().wait();
  });
  holder.join();
}

// `threads` workers that each wait for one lock, which the test's thread holds while it joins
// them: chapter 2's finishing_order with the lock held around the work looks like this.
void wait_on_a_held_lock(int threads) {
  course::set_deadline(1000ms);
  std::mutex lock;
  const std::lock_guard held(lock);
  std::vector<std::jthread> workers;
  for (int i = 0; i < threads; ++i)
    workers.emplace_back([&lock] { const std::lock_guard l(lock); });
}  // never returns: the workers are joined while the lock is held

TEST(Stuck, SixtyFourThreadsWaitOnALock) {
  wait_on_a_held_lock(64);
}
TEST(Stuck, FiveHundredThreadsWaitOnALock) {
  wait_on_a_held_lock(500);
}

TEST(Stuck, AfterItsNoteIsGone) {
  course::set_deadline(300ms);
  { const course::DeadlineNote note("note: printed only while its scope lasts"); }
  std::promise<void>().get_future().wait();
}

TEST(Stuck, FinishesInTime) {
  course::set_deadline(2000ms);
  std::this_thread::sleep_for(50ms);
  SUCCEED();
}

TEST(Stuck, HangsTheExitAfterPassing) {
  // A jthread's destructor asks it to stop and joins it; this one ignores the request, so the
  // program hangs in its static destructors, after the test has passed.
  static std::jthread ignores_stop([] { std::promise<void>().get_future().wait(); });
  SUCCEED();
}

TEST(Stuck, WaitsForAChildThatNeverEnds) {
  // The deadline kills the child, which ends the wait: the test must not pass even so.
  course::set_deadline(300ms);
  const pid_t child = ::fork();
  if (child == 0) {
    while (true) ::pause();
  }
  ::waitpid(child, nullptr, 0);
  SUCCEED();
}

// A child that returns from the code that forked it instead of calling _exit: a copy of the
// test goes on in it.
pid_t fork_and_forget_to_exit() {
  return ::fork();
}

TEST(Forks, AChildFailsAnAssertionOfTheTest) {
  const pid_t child = fork_and_forget_to_exit();
  if (child > 0) ::waitpid(child, nullptr, 0);
  EXPECT_NE(child, 0) << "only the child gets 0 from fork";
}

TEST(Forks, AChildReachesTheEndOfTheTest) {
  const pid_t child = fork_and_forget_to_exit();
  if (child > 0) ::waitpid(child, nullptr, 0);
  SUCCEED();
}

TEST(Forks, AChildThatExits) {
  const pid_t child = ::fork();
  if (child == 0) ::_exit(0);
  ::waitpid(child, nullptr, 0);
  SUCCEED();
}

// A child that ends with exit() instead of _exit: it would run the test program's exit handlers
// and flush what it copied of the test's output.
TEST(Forks, AChildEndsWithExit) {
  std::printf("printed once by the test, before the fork\n");  // still in stdout's buffer
  const pid_t child = ::fork();
  if (child == 0) std::exit(0);
  ::waitpid(child, nullptr, 0);
  SUCCEED();
}

TEST(Skips, NeedsTooManyCores) {
  COURSE_REQUIRE_CORES(100000);
  FAIL() << "a test that needs 100000 cores must be skipped";
}

// An exception that leaves a thread's function ends the program through std::terminate.
TEST(Terminates, WhenAnExceptionLeavesAThread) {
  std::jthread worker([] { throw std::runtime_error("the worker failed"); });
}

TEST(Terminates, WhenUnfinishedCodeRunsOnAThread) {
  std::jthread worker([] { throw course::NotImplemented("2.3", "MutexCounter::add"); });
}

// A crash while a CrashNote is in scope, and one after its scope ended.
TEST(Crashes, WhileItsNoteIsInScope) {
  const course::CrashNote outer("the outer note: hidden by the inner one");
  const course::CrashNote note("the objects were destroyed twice: the note says why");
  std::abort();
}

// Deeper and deeper until the stack runs out (the volatile array keeps each frame real).
volatile int never = -1;  // a way out the compiler cannot rule out
[[gnu::noinline]] int recurse(int depth) {
  if (depth == never) return 0;
  volatile char frame[256] = {};
  frame[depth % 256] = static_cast<char>(depth);
  return recurse(depth + 1) + frame[0];
}

TEST(Crashes, WithAStackOverflowInItsNotesScope) {
  const course::CrashNote note("the stack overflowed: the note is still told");
  std::printf("%d\n", recurse(0));
}

TEST(Crashes, AfterItsNoteIsGone) {
  { const course::CrashNote note("printed only while its scope lasts"); }
  std::abort();
}

// Fails with spans recorded (COURSE_TRACE_DIR: a trace file, test_trace.cpp): two threads, labels
// that JSON must escape, a row whose spans overlap, a timeline drawn (twice: in the file once), a
// recorder still alive when the test ends.
TEST(Traced, FailsWithSpans) {
  {
    course::SpanRecorder recorder;
    std::latch both_inside(2);
    {
      const std::jthread first([&] {
        const auto span = recorder.span("worker \"one\"");
        both_inside.arrive_and_wait();
        std::this_thread::sleep_for(2ms);
      });
      const std::jthread second([&] {
        const auto span = recorder.span("back\\slash\nnew line\x01 \xff \u00fcn\u00ef");
        both_inside.arrive_and_wait();
        std::this_thread::sleep_for(2ms);
      });
    }
    const auto now = course::SpanRecorder::Clock::now();
    recorder.record("overlapping", now, now + 10ms);
    recorder.record("overlapping", now + 5ms, now + 15ms);
  }
  const std::vector<course::Span> drawn = {{"drawn", 0, course::Millis(1), course::Millis(2)}};
  ADD_FAILURE() << "fails on purpose:\n" << course::draw_timeline(drawn);
  ADD_FAILURE() << "and again:\n" << course::draw_timeline(drawn);
  static course::SpanRecorder lives_on;
  { const auto span = lives_on.span("static"); }
}

// Recorders made, used and destroyed on many threads at once, and one they share (for
// ThreadSanitizer: the running test's recordings are kept from any thread).
TEST(Traced, FailsWithRecordersOnManyThreads) {
  course::SpanRecorder shared;
  {
    std::vector<std::jthread> threads;
    for (int thread = 0; thread < 8; ++thread) {
      threads.emplace_back([&shared, thread] {
        for (int round = 0; round < 20; ++round) {
          course::SpanRecorder own;
          for (int i = 0; i < 5; ++i) {
            const auto span = own.span(fmt::format("thread {} span {}", thread, i));
          }
          const auto span = shared.span(fmt::format("thread {}", thread));
        }
      });
    }
  }
  ADD_FAILURE() << "fails on purpose, with " << shared.spans().size() << " shared spans";
}

TEST(Traced, PassesWithSpans) {
  course::SpanRecorder recorder;
  { const auto span = recorder.span("passes"); }
  SUCCEED();
}

TEST(Traced, FailsWithoutSpans) {
  ADD_FAILURE() << "fails on purpose, without a span";
}

}  // namespace
