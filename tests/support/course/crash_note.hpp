// A sentence a test leaves for the case that the process crashes while it is in scope: what a
// crash most likely means there. A double free in a reference count says "abort" and a
// stranger's words about tcache; the note says which mistake makes it.
//
//   const course::CrashNote note("two owners both decided they were last: use the value "
//                                "fetch_sub returns");
//
// On SIGSEGV, SIGABRT, SIGBUS, SIGFPE or SIGILL the note is written to stderr as
// "[  CRASHED ] <text>" (the grader shows it in place of the signal's general meaning), and the
// signal then goes where it went before (its default action, or a sanitizer's handler). The
// note is written from a stack of its own (sigaltstack), so that a stack overflow is told too.
#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include <signal.h>

namespace course {

class [[nodiscard]] CrashNote {
 public:
  explicit CrashNote(std::string text);
  CrashNote(const CrashNote&) = delete;
  CrashNote& operator=(const CrashNote&) = delete;
  ~CrashNote();

 private:
  std::string line_;  // the whole line, ready to write from a signal handler
  const std::string* outer_;
  // The outermost note on a thread gives the signal handler a stack to run on, and puts back
  // the thread's earlier one (a sanitizer's, or none) when it goes.
  std::unique_ptr<std::byte[]> signal_stack_;
  stack_t stack_before_{};
};

}  // namespace course
