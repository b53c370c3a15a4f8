// The notebooks' arithmetic(num, callback) — and the difference between a callback that runs now
// and one that runs later.
//
//   $ build/demos/05_callbacks/arithmetic
#include "arithmetic.hpp"

#include <cstdio>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <course/demo.hpp>

#include "scheduler.hpp"

namespace {

int square(int n) {
  return n * n;
}
int cube(int n) {
  return n * n * n;
}

}  // namespace

int main() {
  return course::run_demo([] {
    const std::vector<int> numbers{2, 3, 5};
    fmt::print("arithmetic({}, square) = {}\n", numbers, callbacks::arithmetic(numbers, square));
    fmt::print("arithmetic({}, cube)   = {}\n", numbers, callbacks::arithmetic(numbers, cube));

    // arithmetic calls back synchronously: every call is over before it returns. A completion
    // callback is the other kind: handed to the loop, it runs after the code that scheduled it.
    callbacks::Scheduler loop;
    fmt::print("\nscheduling a callback for later...\n");
    loop.call_later(std::chrono::milliseconds(50), [] { fmt::print("  ...the callback runs\n"); });
    fmt::print("  this line comes first: nothing has run yet\n");
    loop.run();
    std::fflush(stdout);
  });
}
