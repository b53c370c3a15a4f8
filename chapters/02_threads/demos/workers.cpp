// The notebooks' first thread demo: five workers sleep for a random time each; they are
// started in order, and finish in the order of their sleeps.
//
//   build/demos/02_threads/workers
#include <chrono>
#include <random>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include <course/demo.hpp>

#include "finishing_order.hpp"

int main() {
  return course::run_demo([] {
    using namespace std::chrono_literals;
    std::mt19937 random(std::random_device{}());
    std::uniform_int_distribution<int> tenths(1, 9);
    std::vector<std::chrono::milliseconds> sleeps;
    for (int i = 0; i < 5; ++i) sleeps.push_back(tenths(random) * 100ms);
    fmt::print("Starting 5 workers, in order 0 to 4; let's see when they finish!\n");
    const auto order = threads::finishing_order(5, [&sleeps](int worker) {
      std::this_thread::sleep_for(sleeps[static_cast<std::size_t>(worker)]);
    });
    for (const int worker : order) {
      fmt::print("I am worker {}, I slept for {} ms\n", worker,
                 sleeps[static_cast<std::size_t>(worker)].count());
    }
  });
}
