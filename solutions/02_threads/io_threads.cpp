#include "io_threads.hpp"

#include <thread>

namespace threads {

IoRun sleep_on_threads(std::span<const Clock::duration> sleeps) {
  IoRun run{std::vector<Clock::duration>(sleeps.size()), {}};
  const auto start = Clock::now();
  {
    std::vector<std::jthread> sleepers;
    sleepers.reserve(sleeps.size());
    for (std::size_t i = 0; i < sleeps.size(); ++i) {
      sleepers.emplace_back([&run, &sleeps, i] {
        // A sleeping thread needs no CPU: the operating system wakes it when the time is up.
        // So any number of them wait at once, whatever the number of cores.
        const auto begun = Clock::now();
        std::this_thread::sleep_for(sleeps[i]);
        run.each[i] = Clock::now() - begun;
      });
    }
  }
  run.total = Clock::now() - start;
  return run;
}

}  // namespace threads
