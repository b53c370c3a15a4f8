// A 10 ms ticker beside a 200 ms blocking call: called on the loop's thread, the ticker stops for
// the whole call; through to_thread, it ticks on.
//
//   $ build/demos/07_coroutines/blocking_call
#include <chrono>
#include <thread>

#include <fmt/format.h>

#include <course/demo.hpp>

#include "event_loop.hpp"
#include "sleep.hpp"
#include "task.hpp"
#include "to_thread.hpp"

namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

coro::Task<> ticker(const bool& stop, Clock::time_point start) {
  while (!stop) {
    fmt::print("tick at {:3} ms\n",
               std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count());
    co_await coro::sleep(10ms);
  }
}

coro::Task<> beside(bool through_a_worker) {
  bool stop = false;
  const auto start = Clock::now();
  auto ticking = coro::spawn(ticker(stop, start));
  co_await coro::sleep(25ms);
  fmt::print("-- a 200 ms blocking call {}\n",
             through_a_worker ? "through to_thread" : "on the loop");
  if (through_a_worker) {
    co_await coro::to_thread([] { std::this_thread::sleep_for(200ms); });
  } else {
    std::this_thread::sleep_for(200ms);
  }
  fmt::print("-- the call returned\n");
  co_await coro::sleep(25ms);
  stop = true;
  co_await ticking;
}

}  // namespace

int main() {
  return course::run_demo([] {
    coro::EventLoop loop;
    loop.run(beside(false));
    loop.run(beside(true));
  });
}
