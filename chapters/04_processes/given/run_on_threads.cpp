#include "run_on_threads.hpp"

#include <cstddef>
#include <thread>

#include "simple_gil.hpp"

namespace processes {

std::vector<long> run_on_threads(const toy::Program& program, int threads) {
  SimpleGil lock;
  toy::Runtime runtime(lock);
  const toy::Code code(program);
  std::vector<long> results(static_cast<std::size_t>(threads));
  {
    std::vector<std::jthread> running;
    for (std::size_t i = 0; i < results.size(); ++i) {
      running.emplace_back([&, i] { results[i] = runtime.run(code); });
    }
  }  // the threads are joined here
  return results;
}

}  // namespace processes
