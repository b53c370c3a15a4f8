// Exercise 1.6: a morning of errands, done one after another.
#pragma once

#include <functional>
#include <span>
#include <string>
#include <vector>

#include "clock.hpp"

namespace synchronous {

struct Step {
  std::string errand;  // "cake"
  std::string name;    // "bake in the oven"
  int units;           // how long it takes, in time units
  bool waiting;        // true when something else does the work (the oven) and we only wait
};

// The notebooks' morning: bake a cake (15 units of dough, then 45 in the oven) and buy groceries
// (20 units). One minute of the notebooks is one unit here. (Given.)
std::vector<Step> cake_and_groceries();

// A blocking call that performs one step: it returns when the step is over.
using DoStep = std::function<void(const Step&)>;

// Performs a step by sleeping for step.units × unit. (Given.)
DoStep sleep_through(Clock::duration unit);

struct Done {
  std::string errand;
  std::string step;
  Clock::duration start;  // since run_errands began
  Clock::duration end;
};

struct Morning {
  std::vector<Done> done;   // every step, in the order it was done
  Clock::duration total;    // from the start of the first step to the end of the last
  Clock::duration waiting;  // the time spent in steps that only wait
};

// Exercise 1.6 — run_errands(steps, do_step): performs every step with do_step, one after
// another in the order given, and reports when each step started and ended (measured from the
// call), the total time, and how much of it was spent only waiting.
Morning run_errands(std::span<const Step> steps, const DoStep& do_step);

}  // namespace synchronous
