#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>

#include <course/children.hpp>
#include <course/process_table.hpp>

namespace course {

std::vector<ChildProcess> child_processes() {
  std::vector<ChildProcess> children;
  const pid_t me = ::getpid();
  for (const ProcessInfo& process : list_processes()) {
    if (process.parent == me) children.push_back({process.pid, process.state, process.name});
  }
  return children;
}

int kill_child_processes() {
  const auto children = child_processes();
  int killed = 0;
  for (const auto& child : children) {
    if (child.state != 'Z') {
      ::kill(child.pid, SIGKILL);
      ++killed;
    }
  }
  for (const auto& child : children) ::waitpid(child.pid, nullptr, 0);
  return killed;
}

::testing::AssertionResult no_child_processes_left() {
  const auto children = child_processes();
  if (children.empty()) return ::testing::AssertionSuccess();
  std::string list;
  int zombies = 0;
  for (const auto& child : children) {
    list +=
        fmt::format("\n  pid {} ({}): {}", child.pid, child.name,
                    child.state == 'Z' ? "a zombie: it ended, and nobody waited for it (waitpid)"
                                       : "still running: nobody ended it, or waited for it to end");
    zombies += child.state == 'Z' ? 1 : 0;
  }
  kill_child_processes();
  return ::testing::AssertionFailure()
         << children.size() << " child process" << (children.size() == 1 ? " was" : "es were")
         << " left behind" << (zombies > 0 ? "" : " (the test killed them)") << ":" << list;
}

}  // namespace course
