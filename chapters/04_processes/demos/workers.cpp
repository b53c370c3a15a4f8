// The notebooks' process demo: five processes sleep for a random time each; they are started in
// order, and finish in the order of their sleeps — like the threads of chapter 2, but each in a
// process of its own.
//
//   build/demos/04_processes/workers
#include <chrono>
#include <random>
#include <thread>
#include <vector>

#include <unistd.h>

#include <fmt/format.h>

#include <course/demo.hpp>

#include "child.hpp"

int main() {
  return course::run_demo([] {
    std::mt19937 random(std::random_device{}());
    std::uniform_int_distribution<int> tenths(1, 9);
    std::vector<pid_t> children;
    std::fflush(nullptr);
    for (int worker = 0; worker < 5; ++worker) {
      const int sleep = tenths(random) * 100;
      const pid_t pid = ::fork();
      if (pid == 0) {
        std::this_thread::sleep_for(std::chrono::milliseconds(sleep));
        fmt::print("I am worker {} (process {}), I slept for {} ms\n", worker, ::getpid(), sleep);
        std::fflush(nullptr);
        ::_exit(0);
      }
      children.push_back(pid);
    }
    fmt::print("All processes are started; let's see when they finish!\n");
    std::fflush(nullptr);
    for (const pid_t child : children) (void)processes::wait_for_child(child);
  });
}
