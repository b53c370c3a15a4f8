// The notebooks' Pool(5).map(f, [1, 2, 3]): each input squared in a worker process.
//
//   build/demos/04_processes/pool_map
#include <string>
#include <vector>

#include <unistd.h>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <course/demo.hpp>

#include "process_pool.hpp"

int main() {
  return course::run_demo([] {
    processes::ProcessPool pool(5, [](const std::string& input) {
      const long x = std::stol(input);
      return std::to_string(x * x);
    });
    fmt::print("map(square, [1, 2, 3]) = {}\n", pool.map({"1", "2", "3"}));
    fmt::print("the workers: processes {}; this one: {}\n", pool.worker_pids(), ::getpid());
  });
}
