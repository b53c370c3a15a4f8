#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <course/process_table.hpp>

namespace course {

std::optional<ProcessInfo> read_stat(const std::filesystem::path& stat, pid_t pid) {
  std::ifstream file(stat);
  std::string line;
  if (!std::getline(file, line)) return std::nullopt;  // it ended meanwhile
  // "pid (name) state ppid pgrp ...": the name may hold spaces and parentheses, so it is what
  // lies between the first '(' and the last ')'.
  const auto open = line.find('(');
  const auto close = line.rfind(')');
  if (open == std::string::npos || close == std::string::npos || close < open) return std::nullopt;
  ProcessInfo process;
  process.pid = pid;
  process.name = line.substr(open + 1, close - open - 1);
  std::istringstream fields(line.substr(close + 1));
  if (!(fields >> process.state >> process.parent >> process.group)) return std::nullopt;
  return process;
}

std::vector<ProcessInfo> list_processes() {
  std::vector<ProcessInfo> processes;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator("/proc", error)) {
    const std::string name = entry.path().filename();
    if (name.empty() || !std::all_of(name.begin(), name.end(), ::isdigit)) continue;
    if (auto process = read_stat(entry.path() / "stat", static_cast<pid_t>(std::stol(name)))) {
      processes.push_back(std::move(*process));
    }
  }
  return processes;
}

}  // namespace course
