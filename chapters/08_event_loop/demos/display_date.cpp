// The notebooks' two display_date loops, as two repeating libuv timers on one loop: each prints
// the time, then waits its own interval — and the two interleave on one thread.
//
//   $ build/demos/08_event_loop/display_date
#include <chrono>

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <course/demo.hpp>

#include "loop.hpp"
#include "timer.hpp"

namespace {

using namespace std::chrono_literals;

}  // namespace

int main() {
  return course::run_demo([] {
    uvx::Loop loop;
    const auto start = std::chrono::steady_clock::now();
    const auto since_start = [start] {
      return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    };
    {
      uvx::Timer loop_1(loop);
      uvx::Timer loop_2(loop);
      int ticks_1 = 0;
      int ticks_2 = 0;
      loop_1.start(0ms, 300ms, [&] {
        fmt::print("Loop 1: {:.1f} s\n", since_start());
        if (++ticks_1 == 4) loop_1.stop();
      });
      loop_2.start(0ms, 200ms, [&] {
        fmt::print("Loop 2: {:.1f} s\n", since_start());
        if (++ticks_2 == 6) loop_2.stop();
      });
      loop.run();
    }
    loop.run();  // the timers' close callbacks
    fmt::print("uv_loop_close: {}\n", loop.close() == 0 ? "0, every handle closed" : "busy");
  });
}
