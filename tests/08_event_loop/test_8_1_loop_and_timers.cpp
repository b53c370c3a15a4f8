// Exercise 8.1: the loop, handles that are freed only when libuv is done with them, timers.
#include <array>
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <utility>

#include <gtest/gtest.h>
#include <uv.h>

#include <course/testing.hpp>

#include "handle.hpp"
#include "loop.hpp"
#include "timer.hpp"
#include "uv_testing.hpp"

namespace {

using namespace std::chrono_literals;
using uv_testing::closes_cleanly;
using uv_testing::Strings;

TEST(Loop, ANewLoopRunsAndClosesWithNothingOpen) {
  course::set_deadline(std::chrono::seconds(5));
  uvx::Loop loop;
  EXPECT_FALSE(loop.run()) << "nothing to do: uv_run returns at once, with nothing active";
  EXPECT_TRUE(closes_cleanly(loop));
}

TEST(Loop, AHandleLeftOpenIsNamedAndTheLoopCannotClose) {
  course::set_deadline(std::chrono::seconds(5));
  uvx::Loop loop;
  uv_timer_t forgotten{};  // opened by hand, never closed: a leak
  ASSERT_EQ(uv_timer_init(loop.get(), &forgotten), 0);
  EXPECT_EQ(loop.open_handles(), Strings{"timer"})
      << "uv_walk sees it; uv_handle_type_name names it";
  EXPECT_EQ(loop.close(), UV_EBUSY) << "a loop with a handle open cannot close";
  uv_close(reinterpret_cast<uv_handle_t*>(&forgotten), nullptr);
  EXPECT_EQ(loop.open_handles(), Strings{}) << "a closing handle is no longer open";
  loop.run();  // runs the close callback
  EXPECT_TRUE(closes_cleanly(loop));
}

TEST(Loop, ItsDestructorClosesWhatIsStillOpen) {
  course::set_deadline(std::chrono::seconds(5));
  uv_timer_t left_open{};  // outlives the loop: its memory is the test's, not the loop's
  {
    uvx::Loop loop;
    ASSERT_EQ(uv_timer_init(loop.get(), &left_open), 0);
    // Active for a minute: a destructor that only ran the loop would wait for it.
    uv_timer_start(
        &left_open, [](uv_timer_t*) {}, 60'000, 0);
  }
  EXPECT_NE(uv_is_closing(reinterpret_cast<uv_handle_t*>(&left_open)), 0)
      << "a Loop destroyed with a handle still open left it open: the destructor closes every "
         "handle (uv_walk, uv_close), runs the loop until the closes are done, then uv_loop_close";
}

TEST(Handle, ItsMemoryLivesUntilTheCloseCallback) {
  course::set_deadline(std::chrono::seconds(5));
  const course::CrashNote crash(
      "libuv used a handle's memory after it was freed: uv_close only starts closing, and the "
      "memory may be freed only in the close callback");
  uvx::Loop loop;
  bool closed = false;
  {
    uvx::Handle<uv_timer_t> timer(loop, uv_timer_init);
    timer.close([&closed] { closed = true; });
    EXPECT_FALSE(timer) << "a Handle that closed has no handle left";
  }
  // Had the handle's memory been freed already, the next allocation of its size would reuse
  // it: scribbling on that block would then scribble on what libuv still uses.
  auto scribble = std::make_unique<std::array<unsigned char, sizeof(uv_timer_t)>>();
  scribble->fill(0xA5);
  EXPECT_FALSE(closed) << "the close callback runs in the loop, not inside uv_close";
  loop.run();
  EXPECT_TRUE(closed) << "the loop ran the close callback, which then ran `then`";
  EXPECT_TRUE(closes_cleanly(loop));
}

TEST(Handle, ADestroyedHandleIsClosedAndAMovedOneOnlyOnce) {
  course::set_deadline(std::chrono::seconds(5));
  uvx::Loop loop;
  {
    uvx::Handle<uv_timer_t> first(loop, uv_timer_init);
    uvx::Handle<uv_timer_t> second = std::move(first);
    EXPECT_FALSE(first) << "moving hands the handle over";  // NOLINT(bugprone-use-after-move)
    EXPECT_TRUE(second);
    uvx::Handle<uv_timer_t> third(loop, uv_timer_init);
    third = std::move(second);  // the one `third` had is closed
    EXPECT_EQ(loop.open_handles(), Strings{"timer"})
        << "assigning over a Handle must close the handle it had (and only that one)";
  }
  EXPECT_EQ(loop.open_handles(), Strings{}) << "every Handle that went closed its handle";
  loop.run();
  EXPECT_TRUE(closes_cleanly(loop));
}

// The notebooks' two display_date loops, as two repeating timers on one loop: every 3 units and
// every 2 units, three ticks each. The order is exact even on a busy machine: libuv fires the
// timers due in one turn in the order of their due times, and a unit (20 ms) is far more than a
// late wake-up shifts them.
TEST(Timer, TheNotebooksTwoDisplayDateLoopsInterleave) {
  course::set_deadline(std::chrono::seconds(5));
  const auto unit = std::chrono::duration_cast<std::chrono::milliseconds>(course::scaled(20ms));
  uvx::Loop loop;
  Strings ticks;
  const auto start = std::chrono::steady_clock::now();
  {
    uvx::Timer loop_1(loop);
    uvx::Timer loop_2(loop);
    int count_1 = 0;
    int count_2 = 0;
    loop_1.start(0ms, 3 * unit, [&] {
      ticks.emplace_back("Loop 1");
      if (++count_1 == 3) loop_1.stop();
    });
    loop_2.start(0ms, 2 * unit, [&] {
      ticks.emplace_back("Loop 2");
      if (++count_2 == 3) loop_2.stop();
    });
    EXPECT_FALSE(loop.run()) << "both timers stopped: nothing active is left";
  }
  const auto took = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(ticks, (Strings{"Loop 1", "Loop 2", "Loop 2", "Loop 1", "Loop 2", "Loop 1"}))
      << "ticks at 0 and 0, then at 2, 3, 4 and 6 units";
  // libuv counts whole milliseconds from the time it cached at the start of a turn: a tick can
  // come up to a millisecond early by the steady clock (measured: 6 units of 20 ms took
  // 119.6–119.9 ms in 3 of 20 runs beside stress-ng --cpu 1).
  EXPECT_TRUE(course::took_at_least(took, 6 * unit - 2ms)) << "Loop 1's third tick is at 6 units";
  loop.run();  // the timers' close callbacks
  EXPECT_TRUE(closes_cleanly(loop));
}

TEST(Timer, AStoppedTimerNeverTicksAndAOneShotTicksOnce) {
  course::set_deadline(std::chrono::seconds(5));
  uvx::Loop loop;
  int stopped_ticks = 0;
  int one_shot_ticks = 0;
  {
    uvx::Timer stopped(loop);
    uvx::Timer one_shot(loop);
    stopped.start(5ms, 5ms, [&] { ++stopped_ticks; });
    stopped.stop();
    one_shot.start(10ms, 0ms, [&] { ++one_shot_ticks; });
    loop.run();
  }
  EXPECT_EQ(stopped_ticks, 0) << "stopped before it was due";
  EXPECT_EQ(one_shot_ticks, 1) << "a repeat of 0: once";
  loop.run();
  EXPECT_TRUE(closes_cleanly(loop));
}

TEST(Timer, ATimerMayDestroyItselfInItsOwnCallback) {
  course::set_deadline(std::chrono::seconds(5));
  const course::CrashNote crash(
      "a timer destroyed in its own callback crashed the loop: call a copy of the callback (the "
      "original goes with the Timer), and let the handle's memory go only in its close callback");
  uvx::Loop loop;
  auto timer = std::make_unique<uvx::Timer>(loop);
  int ticks = 0;
  std::unique_ptr<std::array<unsigned char, sizeof(uvx::Timer)>> scribble;
  timer->start(1ms, 1ms, [&] {
    timer.reset();  // the Timer, its callback and its handle go now
    // Had this very callback been the Timer's own std::function, it went with the Timer: the
    // next allocation of the Timer's size reuses its block, and what this callback captured
    // is gone before the lines below read it.
    scribble = std::make_unique<std::array<unsigned char, sizeof(uvx::Timer)>>();
    scribble->fill(0xA5);
    ++ticks;
  });
  loop.run();
  EXPECT_EQ(ticks, 1) << "destroyed at its first tick, a repeating timer never ticks again";
  EXPECT_TRUE(closes_cleanly(loop));
}

}  // namespace
