// Programs for the toy interpreter, written in its bytecode — the Python they stand for is
// beside each.
#pragma once

#include <string>

#include "interpreter.hpp"

namespace toy {

// CPU-bound:                      i = 0
//                                 while i < n: i = i + 1
//                                 return i
Program count_to(long n);

// Calls a built-in again and again:  for _ in range(times): builtin(argument)
//                                    return times
Program call_repeatedly(const std::string& builtin, long times, long argument);

// Keeps calling a built-in until it returns 0:  while builtin(0): pass
//                                              return 0
Program spin_while(const std::string& builtin);

}  // namespace toy
