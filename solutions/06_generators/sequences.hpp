// Exercise 6.2: infinite sequences, computed one value at a time.
#pragma once

#include <cstdint>
#include <string>

#include "generator.hpp"

namespace generators {

// The notebooks' generator_function: yields "something", then "other thing", then ends.
Generator<std::string> generator_function();

// Exercise 6.2 — 0, 1, 2, 3, ... without end (until the 64-bit range runs out).
Generator<std::uint64_t> naturals();

// Exercise 6.2 — the Fibonacci numbers 0, 1, 1, 2, 3, 5, ... in 128 bits: the 187 that fit
// (F(0) to F(186)), then the generator ends instead of overflowing.
Generator<unsigned __int128> fibonacci();

}  // namespace generators
