// The notebooks' trap: starting and joining each thread in the same loop. Two threads that sleep
// 100 and 200 ms take 300 ms that way, and 200 ms when all are started before any is joined.
//
//   build/demos/02_threads/join_trap
#include <chrono>
#include <thread>
#include <vector>

#include <fmt/format.h>

namespace {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

}  // namespace

int main() {
  const std::vector<std::chrono::milliseconds> sleeps{100ms, 200ms};

  auto start = Clock::now();
  for (const auto sleep : sleeps) {
    std::thread thread([sleep] { std::this_thread::sleep_for(sleep); });
    thread.join();  // the trap: waits for this thread before the next one is even started
  }
  fmt::print("start and join in one loop:       {:.2f} s\n", seconds_since(start));

  start = Clock::now();
  std::vector<std::thread> started;
  for (const auto sleep : sleeps)
    started.emplace_back([sleep] { std::this_thread::sleep_for(sleep); });
  for (auto& thread : started) thread.join();
  fmt::print("start all, then join all:         {:.2f} s\n", seconds_since(start));
}
