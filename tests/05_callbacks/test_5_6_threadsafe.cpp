// Exercise 5.6: waking the loop from another thread with call_soon_threadsafe.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <course/loop_clock.hpp>
#include <course/testing.hpp>

#include "scheduler.hpp"

namespace {

using namespace std::chrono_literals;
using callbacks::Handle;
using callbacks::Scheduler;
using SteadyTime = std::chrono::steady_clock::time_point;

// Keeps a real-clock loop alive while other threads post to it: a timer every `period` that
// re-arms itself until stop(). It also ends a wait that a lost post would make endless.
class KeepAlive {
 public:
  KeepAlive(Scheduler& loop, callbacks::Duration period) : loop_(loop), period_(period) { arm(); }
  void stop() { handle_.cancel(); }
  [[nodiscard]] int fired() const { return fired_; }

 private:
  void arm() {
    handle_ = loop_.call_later(period_, [this] {
      ++fired_;
      arm();
    });
  }
  Scheduler& loop_;
  callbacks::Duration period_;
  Handle handle_;
  int fired_ = 0;
};

// A few nanoseconds of doing nothing, which the compiler cannot leave out.
void pause_briefly() {
  static volatile int sink = 0;
  sink = sink + 1;
}

// Measured: 0.1–0.5 ms from the post to the callback, idle and beside stress-ng --cpu 1 or 2.
TEST(CallSoonThreadsafe, WakesTheWaitingLoopAtOnce) {
  Scheduler loop;
  KeepAlive keep_alive(loop, course::scaled(2s));
  const std::thread::id loop_thread = std::this_thread::get_id();
  std::atomic<SteadyTime> posted_at{};
  SteadyTime ran_at{};
  std::thread::id ran_on;
  std::jthread poster([&] {
    std::this_thread::sleep_for(course::scaled(50ms));  // let the loop fall asleep first
    posted_at = std::chrono::steady_clock::now();
    loop.call_soon_threadsafe([&] {
      ran_at = std::chrono::steady_clock::now();
      ran_on = std::this_thread::get_id();
      keep_alive.stop();
    });
  });
  loop.run();
  poster.join();
  const course::Millis latency = ran_at - posted_at.load();
  course::record_figure("wake-up", course::format_millis(latency), "≤ 100 ms");
  EXPECT_EQ(keep_alive.fired(), 0)
      << "the loop slept through the post until its next timer (2 s later): "
         "call_soon_threadsafe must wake it — notify what the loop waits on";
  EXPECT_LT(latency, course::scaled(100ms))
      << "from the post to the callback took " << course::format_millis(latency);
  EXPECT_EQ(ran_on, loop_thread) << "a posted callback runs on the loop's thread, not the poster's";
}

TEST(CallSoonThreadsafe, PostsFromOneThreadRunInTheirOrder) {
  Scheduler loop;
  KeepAlive keep_alive(loop, course::scaled(2s));
  std::vector<int> seen;
  std::jthread poster([&] {
    for (int i = 0; i < 1000; ++i) {
      loop.call_soon_threadsafe([&, i] {
        seen.push_back(i);
        if (i == 999) keep_alive.stop();
      });
    }
  });
  loop.run();
  poster.join();
  ASSERT_EQ(seen.size(), 1000U) << "every post must run, once";
  for (int i = 0; i < 1000; ++i) {
    ASSERT_EQ(seen[static_cast<std::size_t>(i)], i) << "posts run in the order they were posted";
  }
}

TEST(CallSoonThreadsafe, ManyThreadsLoseNoPost) {
  Scheduler loop;
  KeepAlive keep_alive(loop, course::scaled(500ms));
  constexpr int kThreads = 4;
  constexpr int kPosts = 5000;
  int ran = 0;  // only the loop's thread touches it
  {
    std::vector<std::jthread> posters;
    for (int t = 0; t < kThreads; ++t) {
      posters.emplace_back([&] {
        for (int i = 0; i < kPosts; ++i) {
          loop.call_soon_threadsafe([&] {
            if (++ran == kThreads * kPosts) keep_alive.stop();
          });
        }
      });
    }
    loop.run();
  }
  EXPECT_EQ(ran, kThreads * kPosts) << "posts from four threads at once: every one must run";
}

// A ping-pong: post, wait until the callback ran, post again. Between two posts the loop has
// nothing to do, so it goes to sleep every time: each post must wake it. A loop that checks for
// posts and then waits, without holding the lock from the check into the wait, sometimes sleeps
// through a post that came in between (a lost wake-up) until its next timer. The gap is tiny, so
// the poster tries 50 000 times, waiting a little longer each time before it posts (0 to 63
// pauses), to land in it. Measured on the 2-core machine: the solution ran the 50 000 rounds in
// 70–220 ms idle, 210–420 ms beside stress-ng --cpu 1 and 300–910 ms beside --cpu 2, none
// slow. A loop that checks in one
// lock_guard block and waits under another was caught in 6 of 10 runs idle and 0 of 10 busy: a
// hunt, not a proof (the mutant check leaves that mistake out); the commoner mistake, no second
// look at all, APostWhileTheLoopGoesToSleepIsNotLost catches every time.
TEST(CallSoonThreadsafe, EveryPostWakesTheLoop) {
  course::set_deadline(30s);
  Scheduler loop;
  const auto rescue_period = course::scaled(300ms);
  KeepAlive keep_alive(loop, rescue_period);
  constexpr int kRounds = 50'000;
  std::atomic<int> done{0};
  int slow_round = 0;  // the first round whose post the loop slept through, if any
  std::jthread poster([&] {
    for (int round = 1; round <= kRounds; ++round) {
      for (int pause = 0; pause < round % 64; ++pause) pause_briefly();
      const auto start = std::chrono::steady_clock::now();
      loop.call_soon_threadsafe([&, round] { done.store(round, std::memory_order_release); });
      // Spin briefly (the post usually lands while the loop is on its way to sleep), then yield.
      for (int spin = 0; done.load(std::memory_order_acquire) != round; ++spin) {
        if (spin > 2000) std::this_thread::yield();
      }
      if (std::chrono::steady_clock::now() - start > rescue_period / 2) {
        slow_round = round;
        break;
      }
    }
    loop.call_soon_threadsafe([&] { keep_alive.stop(); });
  });
  loop.run();
  poster.join();
  EXPECT_EQ(slow_round, 0)
      << "post " << slow_round << " was not run until the loop's next timer woke it: a lost "
      << "wake-up.\nCheck for posts under the same lock the wait releases, so that none can "
         "arrive between the check and the wait.";
}

// A real clock that, once armed, lets another thread act while the loop reads the time: now()
// signals `reading` and waits (up to 50 ms) for `acted` before it returns.
class RacingClock final : public course::LoopClock {
 public:
  [[nodiscard]] time_point now() const override {
    const time_point now = std::chrono::steady_clock::now();
    if (armed.exchange(false)) {
      reading = true;
      while (!acted && std::chrono::steady_clock::now() < now + 50ms) std::this_thread::yield();
    }
    return now;
  }
  void wait_until(std::unique_lock<std::mutex>& lock, std::condition_variable& wake,
                  time_point deadline) override {
    wake.wait_until(lock, deadline);
  }
  mutable std::atomic<bool> armed{false};
  mutable std::atomic<bool> reading{false};
  std::atomic<bool> acted{false};
};

// A post lands just as the loop, with nothing due, reads the clock on its way to sleep. A loop
// that took the posts in at the top of its turn and then waits without looking again sleeps
// through this one, every time (EveryPostWakesTheLoop hunts for the narrower gaps). Measured:
// the slowest of 20 rounds 0.0–8 ms, idle or beside stress-ng --cpu 1 or 2; the mistake: 1 s,
// and the test stops there.
TEST(CallSoonThreadsafe, APostWhileTheLoopGoesToSleepIsNotLost) {
  course::set_deadline(20s);
  RacingClock clock;
  Scheduler loop(clock);
  KeepAlive keep_alive(loop, course::scaled(2s));
  constexpr int kRounds = 20;
  std::atomic<int> ran{0};
  std::atomic<SteadyTime> ran_at{};
  std::vector<course::Millis> latencies;
  std::jthread poster([&] {
    const auto wait_for = [](const auto& ready, course::Millis most) {
      const auto until = std::chrono::steady_clock::now() + most;
      while (!ready() && std::chrono::steady_clock::now() < until) std::this_thread::yield();
      return ready();
    };
    for (int round = 1; round <= kRounds; ++round) {
      clock.reading = false;
      clock.acted = false;
      // Wake the loop with a first post; when that one runs, the loop's next reading of the
      // clock is the one on its way back to sleep.
      loop.call_soon_threadsafe([&clock] { clock.armed = true; });
      wait_for([&] { return clock.reading.load(); }, course::scaled(200ms));
      loop.call_soon_threadsafe([&, round] {
        ran_at = std::chrono::steady_clock::now();
        ran = round;
      });
      const auto posted_at = std::chrono::steady_clock::now();
      clock.acted = true;
      const bool in_time = wait_for([&] { return ran.load() == round; }, course::scaled(1s));
      latencies.push_back(in_time ? course::Millis(ran_at.load() - posted_at) : course::scaled(1s));
      if (!in_time) break;
    }
    loop.call_soon_threadsafe([&] { keep_alive.stop(); });
  });
  loop.run();
  poster.join();
  ASSERT_FALSE(latencies.empty());
  const course::Millis worst = *std::max_element(latencies.begin(), latencies.end());
  course::record_figure("post while going to sleep", course::format_millis(worst), "≤ 100 ms");
  EXPECT_EQ(latencies.size(), static_cast<std::size_t>(kRounds))
      << "round " << latencies.size()
      << ": a post made while the loop was reading the clock, about to sleep, was not run for "
         "1 s:\nthe loop slept through it (a lost wake-up). Nothing may come between the last "
         "look at the posts and the wait:\nlook again under the lock the wait releases.";
  EXPECT_LT(worst, course::scaled(100ms))
      << "the slowest of the posts took " << course::format_millis(worst);
}

TEST(CallSoonThreadsafe, WorksFromTheLoopsOwnThreadToo) {
  Scheduler loop;
  std::vector<int> seen;
  loop.call_soon([&] {
    loop.call_soon_threadsafe([&] { seen.push_back(2); });
    seen.push_back(1);
  });
  loop.run();
  EXPECT_EQ(seen, (std::vector<int>{1, 2}))
      << "a post from a callback runs after it, in the same run()";
}

}  // namespace
