// Given: the clock this chapter measures with.
#pragma once

#include <chrono>

namespace threads {

// Monotonic: the difference of two readings is the time that passed.
using Clock = std::chrono::steady_clock;

}  // namespace threads
