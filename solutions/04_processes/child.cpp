#include "child.hpp"

#include <cstdio>
#include <exception>
#include <system_error>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>

namespace processes {

std::string describe(const ChildStatus& status) {
  if (status.ending == ChildStatus::Ending::exited)
    return fmt::format("exited with code {}", status.code);
  const char* name = sigabbrev_np(status.signal);
  return name != nullptr ? fmt::format("killed by SIG{}", name)
                         : fmt::format("killed by signal {}", status.signal);
}

ChildStatus wait_for_child(pid_t pid) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    // A signal arrived while we waited: wait again. Anything else is a real error.
    if (errno != EINTR) throw std::system_error(errno, std::generic_category(), "waitpid");
  }
  if (WIFSIGNALED(status)) return ChildStatus{ChildStatus::Ending::killed, 0, WTERMSIG(status)};
  return ChildStatus{ChildStatus::Ending::exited, WEXITSTATUS(status), 0};
}

ChildStatus run_in_child(const std::function<int()>& body) {
  // Output still in this process's buffers would be copied into the child, and written twice.
  std::fflush(nullptr);
  const pid_t pid = ::fork();
  if (pid < 0) throw std::system_error(errno, std::generic_category(), "fork");
  if (pid == 0) {
    // The child. Teacher's note: it must never leave this block — not by returning (two
    // processes would run the caller's code on), not by an exception (it would unwind the
    // caller's copied stack).
    int code = 1;
    try {
      code = body();
    } catch (const std::exception& error) {
      std::fprintf(stderr, "the child's body threw: %s\n", error.what());
    } catch (...) {
      std::fprintf(stderr, "the child's body threw something that is not a std::exception\n");
    }
    std::fflush(nullptr);
    // _exit, not exit: exit would run the atexit handlers and static destructors, which belong
    // to the parent's objects, copied.
    ::_exit(code);
  }
  return wait_for_child(pid);
}

}  // namespace processes
