// Whether a thread of this process is asleep in the kernel, from /proc/self/task/<id>/stat: a
// test can wait until its consumers are all blocked in pop() before it acts, and so make a
// race that a wrong solution loses every time instead of now and then.
#pragma once

#include <chrono>
#include <vector>

#include <course/time_scale.hpp>

namespace course {

// The calling thread's id, as the kernel names it (gettid).
int current_thread_id();

// Whether thread `id` of this process is asleep: blocked in a wait (a futex, a read, a sleep)
// rather than running or ready to run. A thread that has ended is not asleep.
bool thread_is_asleep(int id);

// Waits until every thread in `ids` is asleep at the same moment, checking about every 100 µs;
// false if that did not happen within `limit`.
bool wait_until_asleep(const std::vector<int>& ids, Millis limit);

}  // namespace course
