#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <course/process_table.hpp>

namespace course {

std::vector<ProcessInfo> list_processes() {
  std::vector<ProcessInfo> processes;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator("/proc", error)) {
    const std::string name = entry.path().filename();
    if (name.empty() || !std::all_of(name.begin(), name.end(), ::isdigit)) continue;
    std::ifstream stat(entry.path() / "stat");
    std::string line;
    if (!std::getline(stat, line)) continue;  // it ended meanwhile
    // "pid (name) state ppid pgrp ...": the name may hold spaces and parentheses, so it is what
    // lies between the first '(' and the last ')'.
    const auto open = line.find('(');
    const auto close = line.rfind(')');
    if (open == std::string::npos || close == std::string::npos || close < open) continue;
    ProcessInfo process;
    process.pid = static_cast<pid_t>(std::stol(name));
    process.name = line.substr(open + 1, close - open - 1);
    std::istringstream fields(line.substr(close + 1));
    if (fields >> process.state >> process.parent >> process.group) processes.push_back(process);
  }
  return processes;
}

}  // namespace course
