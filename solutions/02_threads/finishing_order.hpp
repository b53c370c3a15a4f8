// Exercise 2.2: threads finish in the order of their work, not of their start.
#pragma once

#include <functional>
#include <vector>

namespace threads {

// Exercise 2.2 — finishing_order(workers, work): starts `workers` threads, all at once;
// thread i calls work(i) — the notebooks' worker, which sleeps a while — then records that it
// has finished. Returns the threads' numbers in the order they finished. The threads record
// into one shared list, so that list needs a lock.
std::vector<int> finishing_order(int workers, const std::function<void(int)>& work);

}  // namespace threads
