// The convoy effect: an I/O-bound thread that lets go of the GIL for each short wait must get it
// back from the CPU-bound threads. Under NewGil it asks after one interval (5 ms), and the
// holder lets go at its next check point — but with several CPU-bound threads, the one woken is
// not always the I/O thread: a condition variable's hand-off is not fair.
//
//   build/demos/03_gil/convoy
#include <algorithm>
#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include <course/demo.hpp>
#include <toy/interpreter.hpp>
#include <toy/programs.hpp>

#include "new_gil.hpp"

namespace {

using Millis = std::chrono::duration<double, std::milli>;

void measure(int cpu_threads) {
  constexpr int kWaits = 50;
  gil::NewGil lock;
  std::atomic<bool> io_done{false};
  std::vector<Millis> latencies;
  toy::Runtime runtime(lock,
                       {{"io",
                         [&](toy::Gil& held, long milliseconds) {
                           held.drop();
                           std::this_thread::sleep_for(std::chrono::milliseconds(milliseconds));
                           const auto woke = std::chrono::steady_clock::now();
                           held.take();
                           latencies.emplace_back(std::chrono::steady_clock::now() - woke);
                           if (latencies.size() == kWaits) io_done = true;
                           return 0L;
                         }},
                        {"busy", [&](toy::Gil&, long) { return io_done ? 0L : 1L; }}});
  const toy::Code io(toy::call_repeatedly("io", kWaits, 2));
  const toy::Code cpu(toy::spin_while("busy"));
  {
    std::vector<std::jthread> threads;
    threads.emplace_back([&] { (void)runtime.run(io); });
    for (int i = 0; i < cpu_threads; ++i) threads.emplace_back([&] { (void)runtime.run(cpu); });
  }
  std::sort(latencies.begin(), latencies.end());
  fmt::print(
      "  {} CPU-bound thread{}: the I/O thread waited {:5.1f} ms (median), {:5.1f} ms (p90), "
      "{:5.1f} ms (worst)\n",
      cpu_threads, cpu_threads == 1 ? " " : "s", latencies[kWaits / 2].count(),
      latencies[kWaits * 9 / 10].count(), latencies.back().count());
}

}  // namespace

int main() {
  return course::run_demo([] {
    fmt::print("An I/O thread waits 2 ms, 50 times; each time it needs the GIL back:\n");
    for (int cpu_threads = 0; cpu_threads <= 3; ++cpu_threads) measure(cpu_threads);
  });
}
