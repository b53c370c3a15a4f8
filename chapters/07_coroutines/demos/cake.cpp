// The notebooks' cake and groceries: the dough (15 minutes of work), the oven (45 minutes of
// waiting), the groceries (20 minutes): 80 minutes one after the other, 60 concurrently — the
// groceries are bought while the cake is in the oven. One minute is 10 ms here.
//
//   $ build/demos/07_coroutines/cake
#include <chrono>
#include <thread>

#include <fmt/format.h>

#include <course/demo.hpp>

#include "event_loop.hpp"
#include "gather.hpp"
#include "sleep.hpp"
#include "task.hpp"

namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
constexpr auto kMinute = 10ms;

Clock::time_point start;
void say(const char* what) {
  fmt::print("  {:3.0f} min  {}\n", std::chrono::duration<double>(Clock::now() - start) / kMinute,
             what);
}

coro::Task<> bake_cake() {
  std::this_thread::sleep_for(15 * kMinute);  // the dough: work the cook cannot leave
  say("dough ready, cake in the oven");
  co_await coro::sleep(45 * kMinute);  // the oven: only waiting
  say("cake baked");
}

coro::Task<> buy_groceries() {
  co_await coro::sleep(20 * kMinute);
  say("groceries bought");
}

coro::Task<> one_after_the_other() {
  co_await bake_cake();
  co_await buy_groceries();
}

coro::Task<> concurrently() {
  (void)co_await coro::gather(bake_cake(), buy_groceries());
}

template <class Main>
void timed(const char* what, Main main) {
  fmt::print("{}:\n", what);
  coro::EventLoop loop;
  start = Clock::now();
  loop.run(main());
  say("all done");
}

}  // namespace

int main() {
  return course::run_demo([] {
    timed("one after the other", one_after_the_other);
    timed("concurrently", concurrently);
  });
}
