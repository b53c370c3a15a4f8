// libuv reads the clock once per turn of the loop and caches it: uv_now() is the time the loop
// last looked, and a timer is due `timeout` after that time, not after now. After 30 ms of work
// outside the loop (or in a long callback), a 30 ms timer started at once is due at about the
// moment it is started: it fires almost at once. uv_update_time first makes it a real 30 ms.
//
//   $ build/demos/08_event_loop/uv_now
#include <chrono>
#include <thread>

#include <fmt/format.h>
#include <uv.h>

#include <course/demo.hpp>

#include "loop.hpp"
#include "timer.hpp"

namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

// Work 30 ms, then (maybe after uv_update_time) start a 30 ms timer and run the loop. How long
// after it was started does the timer fire?
double fires_after_it_was_started(bool update_time_first) {
  uvx::Loop loop;
  double after = 0;
  {
    uvx::Timer timer(loop);
    const std::uint64_t looked = uv_now(loop.get());
    std::this_thread::sleep_for(30ms);  // work, or a blocking call
    fmt::print("  after 30 ms of work uv_now() says {} ms later\n", uv_now(loop.get()) - looked);
    if (update_time_first) uv_update_time(loop.get());
    const auto started = Clock::now();
    timer.start(30ms, 0ms, [&after, started] { after = ms_since(started); });
    loop.run();
  }
  loop.run();
  return after;
}

}  // namespace

int main() {
  return course::run_demo([] {
    fmt::print("without uv_update_time:\n");
    const double cached = fires_after_it_was_started(false);
    fmt::print("  a 30 ms timer fired {:.1f} ms after it was started\n", cached);
    fmt::print("with uv_update_time first:\n");
    const double updated = fires_after_it_was_started(true);
    fmt::print("  a 30 ms timer fired {:.1f} ms after it was started\n", updated);
  });
}
