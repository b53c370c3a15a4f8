// The notebooks' ensure_future + gather: five tasks that each wait 3 units take 3 units, not 15.
//
//   $ build/demos/07_coroutines/five_tasks
#include <chrono>
#include <vector>

#include <fmt/format.h>

#include <course/demo.hpp>

#include "event_loop.hpp"
#include "gather.hpp"
#include "sleep.hpp"
#include "task.hpp"

namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
constexpr auto kUnit = 100ms;  // one of the notebook's seconds

double units(Clock::duration d) {
  return std::chrono::duration<double>(d) / kUnit;
}

coro::Task<> waits_three(int i, Clock::time_point start) {
  fmt::print("time passed after iter {} is {:.4f} units\n", i, units(Clock::now() - start));
  co_await coro::sleep(3 * kUnit);
}

coro::Task<> main_task() {
  const auto start = Clock::now();
  std::vector<coro::Task<>> tasks;
  for (int i = 0; i < 5; ++i) tasks.push_back(waits_three(i, start));
  co_await coro::gather(std::move(tasks));
  fmt::print("\nTotal time needed was {:.1f} units\n", units(Clock::now() - start));
}

}  // namespace

int main() {
  return course::run_demo([] {
    coro::EventLoop loop;
    loop.run(main_task());
  });
}
