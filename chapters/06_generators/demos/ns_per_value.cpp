// What a generator costs per value, built optimised: a sum over 20 million values from a plain
// loop, std::views::iota, and naturals(), best of 5 each.
//
//   $ build/demos/06_generators/ns_per_value
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <functional>
#include <ranges>

#include <fmt/format.h>

#include <course/demo.hpp>

#include "sequences.hpp"

namespace {

constexpr std::uint64_t kCount = 20'000'000;

// The work per value: enough that no compiler turns the loop into a formula.
inline std::uint64_t mix(std::uint64_t sum, std::uint64_t n) {
  return (sum ^ n) * 0x9E3779B97F4A7C15ULL;
}

double best_ns_per_value(const std::function<std::uint64_t()>& run, std::uint64_t& result) {
  double best = 1e30;
  for (int round = 0; round < 5; ++round) {
    const auto start = std::chrono::steady_clock::now();
    result = run();
    const std::chrono::duration<double, std::nano> took = std::chrono::steady_clock::now() - start;
    best = std::min(best, took.count() / kCount);
  }
  return best;
}

}  // namespace

int main() {
  return course::run_demo([] {
    std::uint64_t result = 0;
    const double plain = best_ns_per_value(
        [] {
          std::uint64_t sum = 0;
          for (std::uint64_t n = 0; n < kCount; ++n) sum = mix(sum, n);
          return sum;
        },
        result);
    fmt::print("a plain loop:       {:5.2f} ns per value  ({:x})\n", plain, result);
#if !(defined(__clang__) && __clang_major__ < 15 && defined(__GLIBCXX__))
    const double iota = best_ns_per_value(
        [] {
          std::uint64_t sum = 0;
          for (const std::uint64_t n : std::views::iota(std::uint64_t{0}, kCount))
            sum = mix(sum, n);
          return sum;
        },
        result);
    fmt::print("std::views::iota:   {:5.2f} ns per value  ({:x})\n", iota, result);
#endif
    const double generator = best_ns_per_value(
        [] {
          std::uint64_t sum = 0;
          for (const std::uint64_t n : generators::naturals()) {
            if (n == kCount) break;
            sum = mix(sum, n);
          }
          return sum;
        },
        result);
    fmt::print("naturals():         {:5.2f} ns per value  ({:x})\n", generator, result);
  });
}
