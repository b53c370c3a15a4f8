// The notebooks' two display_date loops, as two generators on one RoundRobin: each prints, then
// naps 0 to 5 units (co_yield SleepFor), and while one naps the other runs. One unit is 100 ms
// here (a second in the notebook), and each loop ends after 3 s instead of 50.
//
//   $ build/demos/06_generators/display_date
#include <chrono>
#include <random>

#include <fmt/format.h>

#include <course/demo.hpp>
#include <course/loop_clock.hpp>

#include "round_robin.hpp"

namespace {

using namespace std::chrono_literals;
using generators::SleepFor;
using generators::Task;

constexpr auto kUnit = 100ms;  // one of the notebook's seconds
constexpr auto kRunFor = 30 * kUnit;

// `async def display_date(num, loop)`, with `await asyncio.sleep(randint(0, 5))` as a co_yield.
// The random engine is a parameter by value: a coroutine keeps its parameters in its frame.
Task display_date(int num, const course::LoopClock& clock, course::LoopClock::time_point start,
                  std::minstd_rand random) {
  const auto end_time = clock.now() + kRunFor;
  std::uniform_int_distribution<int> units(0, 5);
  while (true) {
    fmt::print("Loop: {} Time: {:5.2f} s\n", num,
               std::chrono::duration<double>(clock.now() - start).count());
    if (clock.now() + kUnit >= end_time) break;
    co_yield SleepFor{units(random) * kUnit};
  }
}

}  // namespace

int main() {
  return course::run_demo([] {
    generators::RoundRobin loop;  // on the real (steady) clock
    const auto start = loop.clock().now();
    std::random_device seed;
    loop.spawn(display_date(1, loop.clock(), start, std::minstd_rand(seed())));
    loop.spawn(display_date(2, loop.clock(), start, std::minstd_rand(seed())));
    loop.run();
    fmt::print("both loops ended after {:.2f} s, on one thread\n",
               std::chrono::duration<double>(loop.clock().now() - start).count());
  });
}
