// The notebooks' ThreadPoolExecutor: submit a call that takes half a second, ask whether it is
// done, wait, ask again, and take its result.
//
//   build/demos/02_threads/executor
#include <chrono>
#include <string>
#include <thread>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <course/demo.hpp>

#include "thread_pool.hpp"

int main() {
  return course::run_demo([] {
    using namespace std::chrono_literals;
    threads::ThreadPool pool(3);
    auto future = pool.submit(
        [](std::string message) {
          std::this_thread::sleep_for(500ms);
          return message;
        },
        std::string("hello"));
    fmt::print("done? {}\n", threads::is_done(future));
    std::this_thread::sleep_for(600ms);
    fmt::print("done? {}\n", threads::is_done(future));
    fmt::print("result: {}\n", future.get());
    fmt::print("map(square, [1, 2, 3]) = {}\n",
               pool.map([](int x) { return x * x; }, std::vector<int>{1, 2, 3}));
  });
}
