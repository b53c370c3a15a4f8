// Exercise 7.6: to_thread — blocking work on a worker thread while the loop goes on.
#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <course/testing.hpp>

#include "event_loop.hpp"
#include "sleep.hpp"
#include "task.hpp"
#include "to_thread.hpp"

namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using coro::EventLoop;
using coro::Task;

Task<std::string> asks_a_worker(std::thread::id& ran_on) {
  co_return co_await coro::to_thread([&ran_on] {
    ran_on = std::this_thread::get_id();
    return std::string("answer");
  });
}

TEST(ToThread, RunsTheCallOnAnotherThreadAndGivesItsValue) {
  course::set_deadline(std::chrono::seconds(10));
  EventLoop loop;
  std::thread::id ran_on;
  EXPECT_EQ(loop.run(asks_a_worker(ran_on)), "answer")
      << "with nothing else to do, the loop waits for the worker's answer (not an error: an "
         "answer is expected)";
  EXPECT_NE(ran_on, std::this_thread::get_id()) << "the call ran on a worker, not on the loop";
}

Task<std::string> a_worker_fails() {
  try {
    co_await coro::to_thread([] { throw std::runtime_error("disk full"); });
  } catch (const std::runtime_error& error) {
    co_return error.what();
  }
  co_return "no exception";
}

TEST(ToThread, RethrowsTheCallsExceptionOnTheLoop) {
  course::set_deadline(std::chrono::seconds(10));
  EventLoop loop;
  EXPECT_EQ(loop.run(a_worker_fails()), "disk full");
}

struct Ticks {
  std::vector<Clock::time_point> at;
  bool stop = false;
};

Task<> ticker(Ticks& ticks, std::chrono::milliseconds every) {
  while (!ticks.stop) {
    ticks.at.push_back(Clock::now());
    co_await coro::sleep(every);
  }
}

// The blocking call, and when it ran.
struct Window {
  Clock::time_point start, end;
};
void blocking_call(std::chrono::milliseconds how_long, Window& window) {
  window.start = Clock::now();
  std::this_thread::sleep_for(how_long);  // a blocking library call: the thread can do nothing
  window.end = Clock::now();
}

Task<> ticker_beside(bool through_a_worker, std::chrono::milliseconds how_long, Ticks& ticks,
                     Window& window) {
  auto ticking = coro::spawn(ticker(ticks, 10ms));
  co_await coro::sleep(20ms);  // the ticker has started
  if (through_a_worker) {
    co_await coro::to_thread([&] { blocking_call(how_long, window); });
  } else {
    blocking_call(how_long, window);  // on the loop's thread: everything stops
  }
  ticks.stop = true;
  co_await ticking;
}

int ticks_during(const Ticks& ticks, const Window& window) {
  int count = 0;
  for (const auto tick : ticks.at) count += (tick > window.start && tick < window.end) ? 1 : 0;
  return count;
}

// A 10 ms ticker beside a 200 ms blocking call. Called on the loop's thread, no tick can happen
// inside the call: that is structural, not timing. Through to_thread, the loop ticks on:
// 19 ticks inside the call in 8 runs idle and 6 beside stress-ng --cpu 2 (18–20 under TSan).
// The bar is 5.
TEST(ToThread, TheLoopTicksOnDuringABlockingCallOnlyThroughAWorker) {
  course::set_deadline(std::chrono::seconds(20));
  const auto how_long =
      std::chrono::duration_cast<std::chrono::milliseconds>(course::scaled(200ms));
  Ticks direct_ticks;
  Window direct;
  {
    EventLoop loop;
    loop.run(ticker_beside(false, how_long, direct_ticks, direct));
  }
  Ticks worker_ticks;
  Window through_worker;
  {
    EventLoop loop;
    loop.run(ticker_beside(true, how_long, worker_ticks, through_worker));
  }
  const int stalled = ticks_during(direct_ticks, direct);
  const int ticked = ticks_during(worker_ticks, through_worker);
  course::record_figure("ticks during the blocking call",
                        fmt::format("{} called directly, {} through to_thread", stalled, ticked),
                        "0 and ≥ 5");
  EXPECT_EQ(stalled, 0) << "a blocking call on the loop's thread stalls every task";
  EXPECT_GE(ticked, 5) << "through to_thread, the 10 ms ticker must go on ticking during the "
                       << how_long.count() << " ms call; it ticked " << ticked
                       << " times: is the call really run on a worker, and the loop woken by "
                          "post_threadsafe?";
}

}  // namespace
