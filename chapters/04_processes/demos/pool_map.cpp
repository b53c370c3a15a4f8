// The notebooks' Pool(5).map(f, [1, 2, 3]): each input squared in a worker process.
//
//   build/demos/04_processes/pool_map
#include <vector>

#include <unistd.h>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <course/demo.hpp>

#include "typed_pool.hpp"

int main() {
  return course::run_demo([] {
    // Five workers, as in the notebook; three inputs keep at most three of them busy.
    processes::TypedPool<long, long> pool(5, [](const long& x) { return x * x; });
    fmt::print("map(square, [1, 2, 3]) = {}\n", pool.map({1, 2, 3}));
    fmt::print("the workers: processes {}; this one: {}\n", pool.worker_pids(), ::getpid());
  });
}
