// Running one program under a deadline, the way the grader runs each test: in a process group
// of its own, its output captured (and cut short if it floods), and nothing it started left
// running afterwards. (A library of its own, course::process, without gtest: the grader, the
// deadline watchdog and the support library's tests use it.)
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace course {

struct ProcessRequest {
  std::vector<std::string> argv;  // argv[0] is the program: a path, or a name on the PATH
  // Variables set (or replaced) in the program's environment, on top of this process's own.
  std::vector<std::pair<std::string, std::string>> environment;
  std::chrono::milliseconds deadline{10'000};
  // Output kept: the first and the last half of this many bytes, with a note between them.
  std::size_t output_limit = std::size_t{64} * 1024;
  // Where the program's stdout and stderr go instead of being captured (the result's output is
  // then empty): a descriptor of this process, e.g. a file. For a program that stops this
  // process while it writes (gdb does): a pipe's reader here could not read, and it would block.
  int output_fd = -1;
  // When this becomes true (a signal handler may set it), the program is killed at once.
  const std::atomic<bool>* cancel = nullptr;
  // Whether this process adopts what the program abandons (as a "subreaper") to kill it too.
  // Off where this process has children of its own that must stay its own.
  bool adopt_orphans = true;
  // A descriptor number (≥ 3) at which the program gets the write end of a pipe of its own,
  // besides its output: what it writes there comes back as the result's `results`. The course's
  // test programs report their tests' verdicts there (COURSE_RESULTS_FD): a channel that what
  // they print cannot forge. -1: none.
  int results_fd = -1;
};

enum class Ending {
  exited,            // it returned from main or called exit: see exit_code
  killed_by_signal,  // see signal
  timed_out,         // it was still running at the deadline and was killed
  cancelled,         // *request.cancel became true, and it was killed
  could_not_start,   // see output for why
};

struct ProcessResult {
  Ending ending = Ending::could_not_start;
  int exit_code = -1;
  int signal = 0;
  std::string output;            // stdout and stderr, interleaved as they were written
  std::string results;           // what it wrote to request.results_fd (cut at output_limit)
  std::size_t output_bytes = 0;  // how much it wrote in all, cut or not
  std::chrono::milliseconds elapsed{0};
  std::chrono::milliseconds cpu_time{0};  // the CPU time it (and what it waited for) used
  int leftovers_killed = 0;  // processes it started and left running, killed when it ended
};

// Runs the program and waits for it to end, or kills it at the deadline. Whatever it started
// is killed when it ends: its process group and, with adopt_orphans, the processes that left
// the group, which this process adopts as a "subreaper" (so run_process then assumes it is the
// only code starting child processes here, one at a time).
ProcessResult run_process(const ProcessRequest& request);

// "SIGSEGV" for 11, "signal 64" for what has no name.
std::string signal_name(int signal);

}  // namespace course
