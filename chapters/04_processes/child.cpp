#include "child.hpp"

#include <cstdio>
#include <exception>
#include <system_error>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>

#include <course/not_implemented.hpp>

namespace processes {

std::string describe(const ChildStatus& status) {
  if (status.ending == ChildStatus::Ending::exited)
    return fmt::format("exited with code {}", status.code);
  const char* name = sigabbrev_np(status.signal);
  return name != nullptr ? fmt::format("killed by SIG{}", name)
                         : fmt::format("killed by signal {}", status.signal);
}

ChildStatus wait_for_child([[maybe_unused]] pid_t pid) {
  // TODO(4.1): waitpid until it returns the child (EINTR: again); then WIFEXITED/WEXITSTATUS,
  // WIFSIGNALED/WTERMSIG.
  throw course::NotImplemented("4.1", "wait_for_child");
}

ChildStatus run_in_child([[maybe_unused]] const std::function<int()>& body) {
  // TODO(4.1): fork(); in the child, run body and _exit; in the parent, waitpid and decode.
  throw course::NotImplemented("4.1", "run_in_child");
}

}  // namespace processes
