// Exercise 4.5: processes bypass the GIL — each has an interpreter, and a GIL, of its own.
#pragma once

#include <vector>

#include <toy/interpreter.hpp>

#include "run_on_threads.hpp"  // given: the same on threads, to compare

namespace processes {

// Exercise 4.5 — run_on_processes(program, processes): runs the toy program in `processes`
// child processes at once — each with a toy::Runtime and a SimpleGil of its own — and returns
// each one's result, in order. Each child sends its result back through a pipe. Start them
// all, then collect them all (as with threads in chapter 2: one at a time would run them one
// after another), and wait for every child.
std::vector<long> run_on_processes(const toy::Program& program, int processes);

}  // namespace processes
