// The GIL's two faces. Four threads that only wait (sleep(50) in the toy language) overlap —
// if the built-in lets go of the GIL while it sleeps. Four threads that compute do not: under
// the GIL they take as long as one thread doing all the work.
//
//   build/demos/03_gil/io_and_cpu
#include <chrono>

#include <fmt/format.h>

#include <course/demo.hpp>
#include <toy/builtins.hpp>
#include <toy/interpreter.hpp>
#include <toy/programs.hpp>

#include "new_gil.hpp"
#include "released_gil.hpp"

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
    gil::NewGil lock;
    const toy::Code sleeper(toy::call_repeatedly("sleep", 1, 50));
    toy::Runtime holding(lock, {toy::sleep_holding_the_gil()});
    toy::Runtime releasing(lock, {gil::sleep_releasing_the_gil()});
    fmt::print("4 threads, each sleep(50):\n");
    fmt::print("  sleep that holds the GIL:     {:6.1f} ms\n",
               ms_of([&] { toy::run_on_threads(holding, sleeper, 4); }));
    fmt::print("  sleep that lets go of it:     {:6.1f} ms\n",
               ms_of([&] { toy::run_on_threads(releasing, sleeper, 4); }));

    toy::Runtime computing(lock);
    const toy::Code quarter(toy::count_to(250'000));
    const toy::Code all(toy::count_to(1'000'000));
    fmt::print("Counting to 1,000,000:\n");
    fmt::print("  one thread:                   {:6.1f} ms\n",
               ms_of([&] { (void)computing.run(all); }));
    fmt::print("  four threads, a quarter each: {:6.1f} ms\n",
               ms_of([&] { toy::run_on_threads(computing, quarter, 4); }));
  });
}
