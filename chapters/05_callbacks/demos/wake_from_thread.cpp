// Another thread hands work to the loop with call_soon_threadsafe: the loop, asleep until a
// timer 5 s away, wakes at once for each post — as asyncio's loop does for a thread pool's
// results (loop.run_in_executor).
//
//   $ build/demos/05_callbacks/wake_from_thread
#include <chrono>
#include <thread>

#include <fmt/format.h>

#include <course/demo.hpp>

#include "scheduler.hpp"

namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

double millis(Clock::duration d) {
  return std::chrono::duration<double, std::milli>(d).count();
}

}  // namespace

int main() {
  return course::run_demo([] {
    callbacks::Scheduler loop;
    const auto start = Clock::now();
    callbacks::Handle timeout = loop.call_later(5s, [] { fmt::print("timed out\n"); });
    int answers = 0;
    std::jthread worker([&] {
      for (int job = 1; job <= 3; ++job) {
        std::this_thread::sleep_for(100ms);  // the worker's slow, blocking job
        const auto posted = Clock::now();
        loop.call_soon_threadsafe([&, job, posted] {
          fmt::print("job {} done at {:4.0f} ms; the loop woke {:.2f} ms after the post\n", job,
                     millis(Clock::now() - start), millis(Clock::now() - posted));
          if (++answers == 3) timeout.cancel();
        });
      }
    });
    loop.run();
    fmt::print("the loop ended at {:.0f} ms, not at its 5 s timer\n", millis(Clock::now() - start));
  });
}
