// A child's memory is a copy: the same variable, at the same address, holds different values in
// the parent and in the child once either writes to it.
//
//   build/demos/04_processes/isolation
#include <unistd.h>

#include <fmt/format.h>

#include <course/demo.hpp>

#include "child.hpp"

namespace {

int counter = 1;

}  // namespace

int main() {
  return course::run_demo([] {
    fmt::print("parent (process {}): counter = {} at {}\n", ::getpid(), counter,
               fmt::ptr(&counter));
    const auto status = processes::run_in_child([] {
      counter = 42;
      fmt::print("child  (process {}): counter = {} at {}\n", ::getpid(), counter,
                 fmt::ptr(&counter));
      return 0;
    });
    fmt::print("the child {}; parent: counter = {} — the child wrote to its own copy\n",
               processes::describe(status), counter);
  });
}
