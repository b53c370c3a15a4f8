// The notebooks' five tasks that each wait 3 units (asyncio.ensure_future + gather), with
// callbacks: all five are started at once and the whole takes 3 units, not 15.
//
//   $ build/demos/05_callbacks/five_waits
#include <chrono>
#include <string>

#include <fmt/format.h>

#include <course/demo.hpp>

#include "scheduler.hpp"
#include "when_all.hpp"

namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

constexpr auto kUnit = 100ms;  // one of the notebook's seconds

double units(Clock::duration d) {
  return std::chrono::duration<double>(d) / kUnit;
}

}  // namespace

int main() {
  return course::run_demo([] {
    callbacks::Scheduler loop;
    const auto start = Clock::now();
    auto finished = callbacks::when_all<int>(5, [&](const std::vector<int>&) {
      fmt::print("\nTotal time needed was {:.2f} units\n", units(Clock::now() - start));
    });
    for (int i = 0; i < 5; ++i) {
      fmt::print("time passed after iter {} is {:.4f} units\n", i, units(Clock::now() - start));
      // "await asyncio.sleep(3)": a timer, not a blocked thread.
      loop.call_later(3 * kUnit, [&finished, i] { finished[static_cast<std::size_t>(i)](i); });
    }
    loop.run();
  });
}
