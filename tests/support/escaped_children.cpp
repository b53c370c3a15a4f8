// Catches a child process that returns into the test instead of ending.
//
// After fork() the child is a copy of the test: if the code that forked it returns instead of
// calling _exit, the child goes on running the rest of the test — its assertions, then gtest's
// "[ OK ]" and summary — and its output reads as the test's own. A listener sees this at the
// first place the copy can report anything (an assertion's result, the test's end), because
// there getpid() is no longer the test program's pid. The child says what happened and ends;
// the test program, told through a pipe, fails the test when it ends.
//
// A child that ends with exit() instead of _exit is caught too, in an atexit handler: exit()
// runs the test program's exit handlers and static destructors in the child, and flushes the
// output buffers it copied from the test program at fork — the same lines then appear twice.
#include "escaped_children.hpp"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include <fcntl.h>
#include <unistd.h>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <gtest/gtest.h>

namespace course::detail {
namespace {

// The test program's pid, and the write end of the pipe its escaped children report through:
// for the atexit handler, which has no listener to ask.
pid_t test_program_pid = 0;
int escaped_reports = -1;

// atexit: in a child that called exit(), says so, reports, and ends it without the rest.
void end_if_a_child_exits() {
  const pid_t me = ::getpid();
  if (test_program_pid == 0 || me == test_program_pid) return;
  std::fputs(fmt::format("[  ESCAPED ] process {}, a child the test started with fork(), ended "
                         "with exit() instead of _exit().\n"
                         "[  ESCAPED ] exit() runs the test program's exit handlers and "
                         "destructors in the child, and flushes the output it copied from the "
                         "test at fork (printed twice). A child ends with _exit(code).\n",
                         me)
                 .c_str(),
             stderr);
  if (escaped_reports >= 0) {
    [[maybe_unused]] const auto written = ::write(escaped_reports, &me, sizeof me);
  }
  ::_exit(kEscapedChildExitCode);
}

class EscapedChildListener : public ::testing::EmptyTestEventListener {
 public:
  EscapedChildListener() : test_program_(::getpid()) {
    // Non-blocking, so neither side can hang on it; close-on-exec, so programs the tests run
    // do not inherit it.
    if (::pipe2(reports_, O_CLOEXEC | O_NONBLOCK) != 0) reports_[0] = reports_[1] = -1;
    test_program_pid = test_program_;
    escaped_reports = reports_[1];
  }
  EscapedChildListener(const EscapedChildListener&) = delete;
  EscapedChildListener& operator=(const EscapedChildListener&) = delete;
  ~EscapedChildListener() override {
    escaped_reports = -1;
    for (const int fd : reports_) {
      if (fd >= 0) ::close(fd);
    }
  }

  void OnTestPartResult(const ::testing::TestPartResult& /*result*/) override { end_if_escaped(); }
  // gtest calls OnTestEnd on the listeners last-added first: this runs before "[ OK ]".
  void OnTestEnd(const ::testing::TestInfo& test) override {
    end_if_escaped();
    fail_if_a_child_escaped(fmt::format("test {}.{}", test.test_suite_name(), test.name()));
  }
  void OnTestProgramEnd(const ::testing::UnitTest& /*unit*/) override {
    end_if_escaped();
    fail_if_a_child_escaped("the test program");
  }

 private:
  // In a child that escaped: says so, tells the test program, and ends the child.
  void end_if_escaped() const {
    const pid_t me = ::getpid();
    if (me == test_program_) return;
    std::fflush(stdout);
    std::fputs(
        fmt::format("[  ESCAPED ] process {}, a child the test started with fork(), returned "
                    "into the test instead of ending.\n"
                    "[  ESCAPED ] It went on running the test's own code: what it reported "
                    "above is the child's, not the test's.\n"
                    "[  ESCAPED ] A child must end with _exit(code) whatever happens in it, "
                    "and never return from the function that forked it.\n",
                    me)
            .c_str(),
        stderr);
    if (reports_[1] >= 0) {
      // A pid is far smaller than PIPE_BUF: the write is whole or not at all.
      [[maybe_unused]] const auto written = ::write(reports_[1], &me, sizeof me);
    }
    ::_exit(kEscapedChildExitCode);
  }

  // In the test program: ends it, failed, if a child reported that it escaped.
  void fail_if_a_child_escaped(const std::string& where) const {
    std::vector<pid_t> escaped;
    pid_t pid = 0;
    while (reports_[0] >= 0 && ::read(reports_[0], &pid, sizeof pid) == sizeof pid) {
      escaped.push_back(pid);
    }
    if (escaped.empty()) return;
    std::fflush(stdout);
    std::fputs(fmt::format(
                   "[  ESCAPED ] {} fails: {} child process{} ({}) returned into it, or ended "
                   "with exit(), instead of ending with _exit.\n",
                   where, escaped.size(), escaped.size() == 1 ? "" : "es", fmt::join(escaped, ", "))
                   .c_str(),
               stderr);
    std::_Exit(kEscapedChildExitCode);
  }

  pid_t test_program_;
  int reports_[2] = {-1, -1};  // read end, write end
};

}  // namespace

void install_escaped_child_guard() {
  // gtest takes ownership of the listeners it is given.
  ::testing::UnitTest::GetInstance()->listeners().Append(
      std::make_unique<EscapedChildListener>().release());
  std::atexit(end_if_a_child_exits);
}

}  // namespace course::detail
