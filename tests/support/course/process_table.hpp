// The machine's processes, as /proc shows them: for killing what a program left behind, and for
// checking that a test left no child.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <sys/types.h>

namespace course {

struct ProcessInfo {
  pid_t pid = 0;
  pid_t parent = 0;
  pid_t group = 0;   // its process group
  char state = 0;    // 'Z' for a zombie (ended, not waited for); 'R', 'S', 'D', 'T', ... else
  std::string name;  // the program's name, as the kernel keeps it (15 characters at most)
};

// Every process /proc lists now, zombies included.
std::vector<ProcessInfo> list_processes();

// One process's (or thread's) line of /proc, read from `stat` (/proc/PID/stat, or
// /proc/self/task/TID/stat for a thread); nothing once it has ended.
std::optional<ProcessInfo> read_stat(const std::filesystem::path& stat, pid_t pid);

}  // namespace course
