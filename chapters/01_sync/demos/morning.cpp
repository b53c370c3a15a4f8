// The notebooks' morning, with one unit = 10 ms: a cake (15 units of dough, 45 in the oven) and
// the groceries (20 units), done one after another: 80 units. The timeline shows the 45 units
// spent standing in front of the oven.
//
//   build/demos/01_sync/morning
#include <algorithm>
#include <chrono>
#include <string>

#include <fmt/format.h>

#include <course/demo.hpp>

#include "errands.hpp"

int main() {
  return course::run_demo([] {
    using namespace std::chrono_literals;
    const auto unit = 10ms;
    const auto steps = synchronous::cake_and_groceries();
    const auto morning = synchronous::run_errands(steps, synchronous::sleep_through(unit));
    const auto units = [unit](auto d) { return static_cast<int>(d / unit); };
    for (const auto& done : morning.done) {
      const int start = units(done.start);
      const int length = std::max(1, units(done.end) - start);
      fmt::print("{:>18} |{}{}| {:>3}–{:>3} units\n", done.step, std::string(start / 2, ' '),
                 std::string(std::max(1, length / 2), '#'), start, units(done.end));
    }
    fmt::print("The morning took {} units, {} of them only waiting ({:.0f}%).\n",
               units(morning.total), units(morning.waiting),
               100.0 * morning.waiting / morning.total);
    fmt::print(
        "While the oven bakes, the groceries could be bought: 15 + 45 = 60 units would do (chapter "
        "7).\n");
  });
}
