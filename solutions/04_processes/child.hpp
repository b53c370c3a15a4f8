// Exercise 4.1: fork, wait, and what a child's end says.
#pragma once

#include <functional>
#include <ostream>
#include <string>

#include <sys/types.h>

namespace processes {

struct ChildStatus {
  enum class Ending { exited, killed };
  Ending ending = Ending::exited;
  int code = 0;    // when it exited: the code it gave _exit (or exit)
  int signal = 0;  // when it was killed: the signal
  friend bool operator==(const ChildStatus&, const ChildStatus&) = default;
};

// "exited with code 7", "killed by SIGKILL". (Given.)
std::string describe(const ChildStatus& status);
inline std::ostream& operator<<(std::ostream& out, const ChildStatus& status) {
  return out << describe(status);
}

// Exercise 4.1 — wait_for_child(pid): waits until the child `pid` ends (waitpid; again when a
// signal interrupts the wait: EINTR), and says how it ended. Waiting is what lets the system
// forget a child: until then, an ended child stays a "zombie". Errors throw std::system_error.
ChildStatus wait_for_child(pid_t pid);

// Exercise 4.1 — run_in_child(body): forks. The child calls body() and ends with
// _exit(what body returned) — or, if body threw, prints the exception's message on stderr and
// ends with _exit(1). The child never returns from run_in_child: the caller's stack, its open
// files and its buffered output are copies in the child, and must not be used twice. Flush
// stdio before the fork (or the buffered output is written twice), and the child's own output
// before _exit (which flushes nothing). The parent waits for the child (wait_for_child) and
// returns how it ended. A failed fork throws std::system_error.
ChildStatus run_in_child(const std::function<int()>& body);

}  // namespace processes
