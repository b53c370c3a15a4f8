// Exercise 4.1: fork, wait, and what a child's end says.
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <optional>
#include <stdexcept>
#include <string>

#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <course/testing.hpp>

#include "child.hpp"
#include "interrupter.hpp"
#include "process_test.hpp"
#include "unique_fd.hpp"

namespace {

using processes::ChildStatus;
using processes::run_in_child;
using processes_testing::ProcessTest;

ChildStatus exited(int code) {
  return {ChildStatus::Ending::exited, code, 0};
}
ChildStatus killed(int signal) {
  return {ChildStatus::Ending::killed, 0, signal};
}

using ChildTest = ProcessTest;

TEST_F(ChildTest, ReturnsTheChildsExitCode) {
  EXPECT_EQ(run_in_child([] { return 7; }), exited(7));
  EXPECT_EQ(run_in_child([] { return 0; }), exited(0));
}

TEST_F(ChildTest, RunsTheBodyInAnotherProcess) {
  const pid_t parent = ::getpid();
  EXPECT_EQ(
      run_in_child([parent] { return ::getpid() != parent && ::getppid() == parent ? 0 : 1; }),
      exited(0))
      << "the body must run in a child of this process: fork, and call it in the child";
}

TEST_F(ChildTest, ReportsAChildKilledByASignal) {
  EXPECT_EQ(run_in_child([] {
              std::raise(SIGKILL);
              return 0;
            }),
            killed(SIGKILL))
      << "WIFSIGNALED and WTERMSIG tell a killed child from one that exited";
  EXPECT_EQ(run_in_child([]() -> int { std::abort(); }), killed(SIGABRT));
}

TEST_F(ChildTest, AChildThatThrowsExitsWithOne) {
  ::testing::internal::CaptureStderr();
  ChildStatus status;
  try {
    status = run_in_child([]() -> int { throw std::runtime_error("no such file"); });
  } catch (...) {
    std::fputs(::testing::internal::GetCapturedStderr().c_str(), stderr);  // say what was said
    throw;
  }
  const std::string said = ::testing::internal::GetCapturedStderr();
  EXPECT_EQ(status, exited(1)) << "an exception in the child ends it with _exit(1)";
  EXPECT_NE(said.find("no such file"), std::string::npos) << "and its message goes to stderr";
}

int seen_by_everyone = 0;

TEST_F(ChildTest, AChildsWritesAreInvisibleToTheParent) {
  seen_by_everyone = 1;
  EXPECT_EQ(run_in_child([] {
              seen_by_everyone = 42;
              return seen_by_everyone == 42 ? 0 : 1;
            }),
            exited(0));
  EXPECT_EQ(seen_by_everyone, 1)
      << "the child wrote 42 into its own copy of the variable: the parent's must not change";
}

// This program's atexit handler, run by any process that ends with exit() — the test program
// at its very end, or a child that used exit instead of _exit. In a child, while the test below
// watches, it writes a byte to the test's pipe.
int exit_handler_witness = -1;  // the pipe's write end, while the test watches
const pid_t test_program = ::getpid();
void tell_the_test_if_a_child_ran_this() {
  if (exit_handler_witness >= 0 && ::getpid() != test_program) {
    [[maybe_unused]] const auto written = ::write(exit_handler_witness, "!", 1);
  }
}
[[maybe_unused]] const bool witness_registered =
    std::atexit(tell_the_test_if_a_child_ran_this) == 0;

TEST_F(ChildTest, TheChildEndsWithUnderscoreExit) {
  auto witness = processes::make_pipe();
  exit_handler_witness = witness.write.get();
  const ChildStatus status = run_in_child([] { return 0; });
  exit_handler_witness = -1;
  witness.write.reset();
  char byte = 0;
  const bool ran = ::read(witness.read.get(), &byte, 1) == 1;
  EXPECT_EQ(status, exited(0));
  EXPECT_FALSE(ran) << "the child ran the test program's atexit handler: it ended with exit(), "
                       "which runs the handlers and static destructors of the parent's objects "
                       "(copied) and flushes the parent's buffers. End the child with _exit(code)";
}

// A signal interrupts the parent every millisecond while it waits for a child that takes
// 50 ms: waitpid() fails with EINTR, and must be called again.
TEST_F(ChildTest, WaitForChildGoesOnWhenSignalsInterrupt) {
  const pid_t child = ::fork();
  if (child == 0) {
    ::usleep(50'000);
    ::_exit(4);
  }
  std::optional<ChildStatus> status;
  std::string failed;
  {
    const processes_testing::Interrupter interrupter;
    try {
      status = processes::wait_for_child(child);
    } catch (const std::exception& error) {
      failed = error.what();
    }
  }
  if (!status) ::waitpid(child, nullptr, 0);  // no zombie, whatever wait_for_child did
  ASSERT_EQ(failed, "") << "wait_for_child threw while a signal interrupted it every "
                           "millisecond: an EINTR is no error — call waitpid() again";
  EXPECT_EQ(status, exited(4));
}

TEST_F(ChildTest, WaitForChildSaysHowAChildEnded) {
  const pid_t child = ::fork();
  if (child == 0) ::_exit(3);
  EXPECT_EQ(processes::wait_for_child(child), exited(3));
}

}  // namespace
