// Internal to the support library: where each thread of a stuck test is, for the deadline
// watchdog's message. gdb attaches to the process and prints every thread's stack; one line per
// thread is kept: the call it waits in, and the line of the course's code that made that call.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace course::detail {

// One line per thread of this process, from gdb ("thread apply all bt"), or nothing when
// gdb is not installed, cannot attach, or COURSE_BACKTRACE=off.
std::optional<std::string> describe_threads(std::chrono::milliseconds budget);

// The summary of gdb's backtraces: for each thread (but the watchdog's, and numbered without
// it, oldest first), the call it is in and the first frame in the course's code under
// `source_dir`, e.g.
//   thread 1: in std::thread::join(), called from test Stuck.JoinsAThread at tests/x.cpp:21
std::string summarize_backtraces(std::string_view gdb_output, std::string_view source_dir);

}  // namespace course::detail
