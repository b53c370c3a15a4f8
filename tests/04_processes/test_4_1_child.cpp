// Exercise 4.1: fork, wait, and what a child's end says.
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>

#include <unistd.h>

#include <gtest/gtest.h>

#include <course/testing.hpp>

#include "child.hpp"
#include "process_test.hpp"

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

TEST_F(ChildTest, WaitForChildSaysHowAChildEnded) {
  const pid_t child = ::fork();
  if (child == 0) ::_exit(3);
  EXPECT_EQ(processes::wait_for_child(child), exited(3));
}

}  // namespace
