#include "errands.hpp"

#include <thread>

namespace synchronous {

std::vector<Step> cake_and_groceries() {
  return {
      {"cake", "prepare the dough", 15, false},
      {"cake", "bake in the oven", 45, true},
      {"groceries", "buy groceries", 20, false},
  };
}

DoStep sleep_through(Clock::duration unit) {
  return [unit](const Step& step) { std::this_thread::sleep_for(step.units * unit); };
}

Morning run_errands(std::span<const Step> steps, const DoStep& do_step) {
  Morning morning{{}, Clock::duration::zero(), Clock::duration::zero()};
  const auto begin = Clock::now();
  for (const Step& step : steps) {
    const auto start = Clock::now() - begin;
    do_step(step);
    const auto end = Clock::now() - begin;
    morning.done.push_back(Done{step.errand, step.name, start, end});
    // While the oven bakes, this thread can do nothing else: it is blocked in do_step.
    if (step.waiting) morning.waiting += end - start;
  }
  morning.total = Clock::now() - begin;
  return morning;
}

}  // namespace synchronous
