// The notebooks' first generator, both ways: in a loop, and one next() at a time.
//
//   $ build/demos/06_generators/generator_function
#include <fmt/format.h>

#include <course/demo.hpp>

#include "sequences.hpp"

int main() {
  return course::run_demo([] {
    for (const std::string& value : generators::generator_function()) fmt::print("{}\n", value);
    auto x = generators::generator_function();
    fmt::print("{}\n", x.next().value_or("(the end)"));
    fmt::print("{}\n", x.next().value_or("(the end)"));
    fmt::print("{}\n", x.next().value_or("(the end)"));
  });
}
