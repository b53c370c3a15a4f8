// The notebooks' CPU-bound job: the sum of the squares below ten million, timed by a named timer.
// Python took about 3 s and printed 333333283333335000000; so must this, in milliseconds, and
// its CPU time says why it is called CPU-bound.
//
//   build/demos/01_sync/squares
#include "squares.hpp"

#include <iostream>

#include <fmt/format.h>

#include <course/demo.hpp>

#include "timed.hpp"
#include "usage.hpp"

int main() {
  return course::run_demo([] {
    auto squares = synchronous::named_timer("squares", synchronous::sum_of_squares, std::cout);
    const synchronous::u128 sum = squares(1, 10'000'000, 1);
    fmt::print("sum of n² for n below ten million = {}\n", synchronous::to_decimal(sum));
    fmt::print("(more than 18446744073709551615, the largest 64-bit number)\n");

    const auto usage =
        synchronous::measure_usage([] { (void)synchronous::sum_of_squares(1, 10'000'000); });
    const auto ms = [](auto d) { return std::chrono::duration<double, std::milli>(d).count(); };
    fmt::print("again: wall {:.1f} ms, CPU {:.1f} ms: {}\n", ms(usage.wall), ms(usage.cpu),
               synchronous::classify(usage) == synchronous::Bound::cpu ? "CPU-bound" : "I/O-bound");
  });
}
