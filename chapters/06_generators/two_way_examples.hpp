// Exercise 6.4: two coroutines that are sent their input.
#pragma once

#include <string>

#include "two_way.hpp"

namespace generators {

// Exercise 6.4 — the average of every number sent so far: start() gives 0 (nothing averaged
// yet), then send(10) gives 10, send(20) 15, send(0) 10, ...
TwoWay<double, double> running_average();

// Exercise 6.4 — a parser fed one character at a time: send(c) gives the word that c ended (a
// space ends the word before it), or "" while a word goes on — and for a space right after a
// space, which ends no word. start() gives "".
TwoWay<std::string, char> words();

}  // namespace generators
