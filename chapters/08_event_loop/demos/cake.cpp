// The notebooks' cake and groceries on libuv: the dough (15 minutes of work), the oven (45
// minutes of waiting), the groceries (20 minutes): 80 minutes one after the other, 60
// concurrently — the groceries are bought while the cake is in the oven. One minute is 10 ms.
//
//   $ build/demos/08_event_loop/cake
#include <chrono>
#include <thread>
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
constexpr auto kMinute = 10ms;

struct Kitchen {
  uvx::Loop loop;
  std::uint64_t start = 0;

  void say(const char* what) {
    uv_update_time(loop.get());
    fmt::print("  {:3} min  {}\n", (uv_now(loop.get()) - start) / kMinute.count(), what);
  }
};

uvx::Task<void> bake_cake(Kitchen& kitchen) {
  std::this_thread::sleep_for(15 * kMinute);  // the dough: work the cook cannot leave
  kitchen.say("dough ready, cake in the oven");
  uv_update_time(kitchen.loop.get());  // the loop's clock is 15 minutes behind after that work
  co_await uvx::sleep(kitchen.loop, 45 * kMinute);  // the oven: only waiting
  kitchen.say("cake baked");
}

uvx::Task<void> buy_groceries(Kitchen& kitchen) {
  co_await uvx::sleep(kitchen.loop, 20 * kMinute);
  kitchen.say("groceries bought");
}

uvx::Task<void> one_after_the_other(Kitchen& kitchen) {
  co_await bake_cake(kitchen);
  co_await buy_groceries(kitchen);
}

uvx::Task<void> concurrently(Kitchen& kitchen) {
  std::vector<uvx::Task<void>> both;
  both.push_back(bake_cake(kitchen));
  both.push_back(buy_groceries(kitchen));
  co_await uvx::gather(std::move(both));
}

void timed(const char* what, uvx::Task<void> (*plan)(Kitchen&)) {
  fmt::print("{}:\n", what);
  Kitchen kitchen;
  uv_update_time(kitchen.loop.get());
  kitchen.start = uv_now(kitchen.loop.get());
  uvx::run(kitchen.loop, plan(kitchen));
  kitchen.say("all done");
}

}  // namespace

int main() {
  return course::run_demo([] {
    timed("one after the other", one_after_the_other);
    timed("concurrently", concurrently);
  });
}
