// Interpreted counting under the toy interpreter's GIL, on 1, 2, 4 threads, and on as many
// processes — each process with a GIL of its own. The notebooks' point: "multiprocessing gives
// each process its own GIL".
//
//   build/demos/04_processes/gil_vs_processes
#include <chrono>

#include <fmt/format.h>

#include <course/demo.hpp>
#include <toy/programs.hpp>

#include "gil_free.hpp"

namespace {

template <class F>
double ms_of(F&& f) {
  const auto start = std::chrono::steady_clock::now();
  f();
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
      .count();
}

}  // namespace

int main() {
  return course::run_demo([] {
    constexpr long kTotal = 1'600'000;
    fmt::print("counting to {} in all, split over:\n", kTotal);
    for (int n = 1; n <= 4; n *= 2) {
      const toy::Program part = toy::count_to(kTotal / n);
      const double threads = ms_of([&] { (void)processes::run_on_threads(part, n); });
      const double processes = ms_of([&] { (void)processes::run_on_processes(part, n); });
      fmt::print("  {} thread{}: {:6.1f} ms    {} process{}: {:6.1f} ms\n", n, n == 1 ? " " : "s",
                 threads, n, n == 1 ? "  " : "es", processes);
    }
  });
}
