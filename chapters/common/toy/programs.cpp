#include "programs.hpp"

namespace toy {

Program count_to(long n) {
  enum : int { zero, limit, one };  // the constants
  enum : int { i };                 // the locals
  return Program{"count_to",
                 {0, n, 1},
                 {},
                 1,
                 {
                     {Op::constant, zero},    // 0: i = 0
                     {Op::store, i},          // 1
                     {Op::load, i},           // 2: while i < n
                     {Op::constant, limit},   // 3
                     {Op::less},              // 4
                     {Op::jump_if_zero, 11},  // 5
                     {Op::load, i},           // 6:   i = i + 1
                     {Op::constant, one},     // 7
                     {Op::add},               // 8
                     {Op::store, i},          // 9
                     {Op::jump, 2},           // 10: back to the test: a check point
                     {Op::load, i},           // 11: return i
                     {Op::halt},              // 12
                 }};
}

Program call_repeatedly(const std::string& builtin, long times, long argument) {
  enum : int { zero, limit, one, the_argument };  // the constants
  enum : int { i, result };                       // the locals
  return Program{"call_repeatedly",
                 {0, times, 1, argument},
                 {builtin},
                 2,
                 {
                     {Op::constant, zero},          // 0: i = 0
                     {Op::store, i},                // 1
                     {Op::load, i},                 // 2: while i < times
                     {Op::constant, limit},         // 3
                     {Op::less},                    // 4
                     {Op::jump_if_zero, 14},        // 5
                     {Op::constant, the_argument},  // 6:   result = builtin(argument)
                     {Op::call, 0},                 // 7
                     {Op::store, result},           // 8
                     {Op::load, i},                 // 9:   i = i + 1
                     {Op::constant, one},           // 10
                     {Op::add},                     // 11
                     {Op::store, i},                // 12
                     {Op::jump, 2},                 // 13: back to the test: a check point
                     {Op::load, i},                 // 14: return i
                     {Op::halt},                    // 15
                 }};
}

Program spin_while(const std::string& builtin) {
  enum : int { zero };  // the constants
  return Program{"spin_while",
                 {0},
                 {builtin},
                 0,
                 {
                     {Op::constant, zero},   // 0: while builtin(0):
                     {Op::call, 0},          // 1
                     {Op::jump_if_zero, 4},  // 2
                     {Op::jump, 0},          // 3: a check point
                     {Op::constant, zero},   // 4: return 0
                     {Op::halt},             // 5
                 }};
}

}  // namespace toy
