// The notebooks' test_async.py on libuv: five tasks that each wait 3 units (asyncio.sleep(3))
// take 3 units together, not 15 — 8.5's sleep and gather on a uv loop.
//
//   $ build/demos/08_event_loop/five_tasks
#include <chrono>
#include <vector>

#include <fmt/format.h>
#include <uv.h>

#include <course/demo.hpp>

#include "gather.hpp"
#include "loop.hpp"
#include "run.hpp"
#include "sleep.hpp"
#include "task.hpp"

namespace {

using namespace std::chrono_literals;
constexpr auto kUnit = 100ms;  // one of the notebook's seconds

uvx::Task<void> example_coroutine(uvx::Loop& loop) {
  co_await uvx::sleep(loop, 3 * kUnit);  // the notebook's "waiting for the internet"
}

uvx::Task<void> main_task(uvx::Loop& loop) {
  const std::uint64_t start = uv_now(loop.get());
  const auto units = [&] {
    return static_cast<double>(uv_now(loop.get()) - start) / kUnit.count();
  };
  std::vector<uvx::Task<void>> tasks;
  for (int i = 0; i < 5; ++i) {
    fmt::print("time passed after iter {} is {:.2f} units\n", i, units());
    tasks.push_back(example_coroutine(loop));
  }
  co_await uvx::gather(std::move(tasks));
  fmt::print("\nTotal time needed was {:.2f} units\n", units());
}

}  // namespace

int main() {
  return course::run_demo([] {
    uvx::Loop loop;
    uv_update_time(loop.get());
    uvx::run(loop, main_task(loop));
  });
}
