// Chapter 1's three users, on one thread: blocking calls add up; completion callbacks overlap.
//
//   $ build/demos/05_callbacks/three_users
//   blocking, one after another:  600 ms
//   callbacks on one loop:        200 ms  (one thread: 1)
#include <chrono>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include <course/demo.hpp>

#include "users.hpp"

namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

double millis(Clock::duration d) {
  return std::chrono::duration<double, std::milli>(d).count();
}

}  // namespace

int main() {
  return course::run_demo([] {
    const std::vector<callbacks::UserRequest> requests{{1, 200ms}, {2, 200ms}, {3, 200ms}};

    auto start = Clock::now();
    for (const auto& request : requests) std::this_thread::sleep_for(request.delay);  // chapter 1
    fmt::print("blocking, one after another:  {:.0f} ms\n", millis(Clock::now() - start));

    callbacks::Scheduler loop;
    start = Clock::now();
    callbacks::fetch_all_async(loop, requests, [&](const std::vector<callbacks::User>& users) {
      fmt::print("callbacks on one loop:        {:.0f} ms  ({} users, one thread)\n",
                 millis(Clock::now() - start), users.size());
    });
    loop.run();
  });
}
