// The tests' own decimal printer for 128-bit numbers, for their messages: chapter 1's
// to_decimal is an exercise, and may not be done yet.
#pragma once

#include <string>

namespace course {

__extension__ using Uint128 = unsigned __int128;  // as the chapters' u128

inline std::string decimal(Uint128 value) {
  std::string out;
  do {
    out.insert(out.begin(), static_cast<char>('0' + static_cast<int>(value % 10)));
    value /= 10;
  } while (value != 0);
  return out;
}

}  // namespace course
