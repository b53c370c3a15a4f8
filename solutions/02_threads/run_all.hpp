// Exercise 2.1: start all, then join all.
#pragma once

#include <functional>
#include <span>
#include <vector>

namespace threads {

// Exercise 2.1 — run_all(tasks): runs every task on a thread of its own, all at the same time,
// and returns their results in the order of the tasks.
//  - Start every thread first, then wait for them all. (A thread joined right after it was
//    started runs alone: the next one starts only when it has finished.)
//  - A task that throws must not end the program: run_all waits for every thread, then
//    rethrows the exception of the first task (in the order of the tasks) that threw.
std::vector<int> run_all(std::span<const std::function<int()>> tasks);

}  // namespace threads
