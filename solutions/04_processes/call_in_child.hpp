// Exercise 4.3: calling a function in a child process, and getting its result back.
#pragma once

#include <functional>
#include <stdexcept>
#include <string>

namespace processes {

// The child could not give its result: the exception it threw, or how it died. (Given.)
class ChildFailed : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Exercise 4.3 — call_in_child(f): runs f() in a child process and returns its result, which
// the child sends through a pipe as one frame (exercise 4.2).
//  - If f throws, the child sends the exception's message instead, and the parent throws
//    ChildFailed with it. (Tell the two apart by the frame's first byte: 'R' for a result,
//    'E' for an error.)
//  - If the child ends before a whole frame arrived (killed by a signal, say), the parent throws
//    ChildFailed saying how it ended ("killed by SIGKILL").
//  - The parent reads the whole result before it waits for the child: a child whose result is
//    larger than the pipe's buffer blocks in write() until the parent reads.
//  - The child is always waited for: no zombie.
std::string call_in_child(const std::function<std::string()>& f);

}  // namespace processes
