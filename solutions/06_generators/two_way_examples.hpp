// Exercise 6.4: two coroutines that are sent their input.
#pragma once

#include <string>

#include "two_way.hpp"

namespace generators {

// Exercise 6.4 — the average of every number sent so far: start() gives 0 (nothing averaged
// yet), then send(10) gives 10, send(20) 15, send(0) 10, ...
TwoWay<double, double> running_average();

// Exercise 6.4 — a parser fed one character at a time: send(c) gives the word that c ended (a
// space ends a word; several spaces in a row end one), or "" while a word goes on. start()
// gives "".
TwoWay<std::string, char> words();

}  // namespace generators
