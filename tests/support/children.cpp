#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>

#include <course/children.hpp>

namespace course {

std::vector<ChildProcess> child_processes() {
  std::vector<ChildProcess> children;
  std::error_code error;
  const pid_t me = ::getpid();
  for (const auto& entry : std::filesystem::directory_iterator("/proc", error)) {
    const std::string name = entry.path().filename();
    if (name.empty() || !std::all_of(name.begin(), name.end(), ::isdigit)) continue;
    std::ifstream stat(entry.path() / "stat");
    std::string line;
    if (!std::getline(stat, line)) continue;
    // pid (comm) state ppid ... — comm may hold spaces and parentheses.
    const auto open = line.find('(');
    const auto close = line.rfind(')');
    if (open == std::string::npos || close == std::string::npos) continue;
    std::istringstream fields(line.substr(close + 1));
    char state = 0;
    pid_t parent = 0;
    if (fields >> state >> parent && parent == me) {
      children.push_back(
          {static_cast<pid_t>(std::stol(name)), state, line.substr(open + 1, close - open - 1)});
    }
  }
  return children;
}

int kill_child_processes() {
  const auto children = child_processes();
  for (const auto& child : children) {
    if (child.state != 'Z') ::kill(child.pid, SIGKILL);
  }
  for (const auto& child : children) ::waitpid(child.pid, nullptr, 0);
  return static_cast<int>(children.size());
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
