// Given: the toy program on threads under one GIL — what exercise 4.5 compares processes with.
#pragma once

#include <vector>

#include <toy/interpreter.hpp>

namespace processes {

// Runs `program` on `threads` threads at once, all in one toy::Runtime under one SimpleGil, and
// returns each thread's result, in order.
std::vector<long> run_on_threads(const toy::Program& program, int threads);

}  // namespace processes
