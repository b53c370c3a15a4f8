// The notebooks' two display_date loops as two tasks on one event loop: each prints the time,
// then naps 0 to 5 units (co_await sleep), and while one naps the other runs. One unit is
// 100 ms here (a second in the notebook), and each loop ends after 3 s instead of 50.
//
//   $ build/demos/07_coroutines/display_date
#include <chrono>
#include <random>

#include <fmt/format.h>

#include <course/demo.hpp>

#include "event_loop.hpp"
#include "sleep.hpp"
#include "task.hpp"

namespace {

using namespace std::chrono_literals;
constexpr auto kUnit = 100ms;

// `async def display_date(num, loop)`. The random engine is a parameter by value: a coroutine
// keeps its parameters in its frame.
coro::Task<> display_date(int num, coro::Clock::time_point start, std::minstd_rand random) {
  coro::EventLoop& loop = coro::EventLoop::current();
  const auto end_time = loop.now() + 30 * kUnit;
  std::uniform_int_distribution<int> units(0, 5);
  while (true) {
    fmt::print("Loop: {} Time: {:5.2f} s\n", num,
               std::chrono::duration<double>(loop.now() - start).count());
    if (loop.now() + kUnit >= end_time) break;
    co_await coro::sleep(units(random) * kUnit);
  }
}

coro::Task<> both(coro::Clock::time_point start) {
  std::random_device seed;
  auto first = coro::spawn(display_date(1, start, std::minstd_rand(seed())));
  auto second = coro::spawn(display_date(2, start, std::minstd_rand(seed())));
  co_await first;
  co_await second;
}

}  // namespace

int main() {
  return course::run_demo([] {
    coro::EventLoop loop;
    const auto start = loop.now();
    loop.run(both(start));
    fmt::print("both loops ended after {:.2f} s, on one thread\n",
               std::chrono::duration<double>(loop.now() - start).count());
  });
}
