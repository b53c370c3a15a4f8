// Running one program under a deadline, the way the grader runs each test: in a process group
// of its own, its output captured (and cut short if it floods), and nothing it started left
// running afterwards.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace grader {

struct ProcessRequest {
  std::vector<std::string> argv;  // argv[0] is the program: a path, or a name on the PATH
  // Variables set (or replaced) in the program's environment, on top of this process's own.
  std::vector<std::pair<std::string, std::string>> environment;
  std::chrono::milliseconds deadline{10'000};
  // Output kept: the first and the last half of this many bytes, with a note between them.
  std::size_t output_limit = 64 * 1024;
};

enum class Ending {
  exited,            // it returned from main or called exit: see exit_code
  killed_by_signal,  // see signal
  timed_out,         // it was still running at the deadline and was killed
  could_not_start,   // see output for why
};

struct ProcessResult {
  Ending ending = Ending::could_not_start;
  int exit_code = -1;
  int signal = 0;
  std::string output;            // stdout and stderr, interleaved as they were written
  std::size_t output_bytes = 0;  // how much it wrote in all, cut or not
  std::chrono::milliseconds elapsed{0};
  int leftovers_killed = 0;  // processes of its group still running after it ended, then killed
};

ProcessResult run_process(const ProcessRequest& request);

// "SIGSEGV" for 11, "signal 64" for what has no name.
std::string signal_name(int signal);

}  // namespace grader
