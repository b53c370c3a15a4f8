// Exercise 4.3: calling a function in a child process, and getting its result back.
#include <csignal>
#include <stdexcept>
#include <string>
#include <string_view>

#include <unistd.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <course/testing.hpp>

#include "call_in_child.hpp"
#include "process_test.hpp"

namespace {

using processes::call_in_child;
using processes::ChildFailed;
using ::testing::HasSubstr;
using CallInChild = processes_testing::ProcessTest;

TEST_F(CallInChild, ReturnsTheResult) {
  EXPECT_EQ(call_in_child([] { return std::string("hello from the child"); }),
            "hello from the child");
  const pid_t parent = ::getpid();
  EXPECT_EQ(
      call_in_child([parent] { return std::string(::getpid() == parent ? "parent" : "child"); }),
      "child")
      << "f must run in the child";
}

// Far more than the 64 KiB a pipe holds: the child blocks in write() until the parent reads, so
// a parent that waits for the child before reading never gets there.
TEST_F(CallInChild, CarriesSeveralMegabytes) {
  const course::DeadlineNote note(
      "stuck: did the parent wait for the child before reading? The child cannot finish "
      "writing a result larger than the pipe until someone reads it");
  const std::string result = call_in_child([] { return std::string(8 << 20, 'x'); });
  EXPECT_EQ(result.size(), std::size_t{8 << 20});
  EXPECT_EQ(result.find_first_not_of('x'), std::string::npos);
}

TEST_F(CallInChild, BringsBackTheChildsException) {
  try {
    (void)call_in_child([]() -> std::string { throw std::runtime_error("no such user"); });
    ADD_FAILURE() << "the child threw: call_in_child must throw ChildFailed";
  } catch (const ChildFailed& failed) {
    EXPECT_THAT(failed.what(), HasSubstr("no such user")) << "with the child's message";
  }
}

// The parent must hold no copy of the pipe's write end, in this test and the next.
constexpr std::string_view kParentHoldsTheWriteEnd =
    "stuck: a child that dies without writing closes the pipe — unless the parent still holds "
    "the write end itself. Close it in the parent right after fork";

TEST_F(CallInChild, ReportsAChildThatDiedBeforeItAnswered) {
  const course::DeadlineNote note{std::string(kParentHoldsTheWriteEnd)};
  try {
    (void)call_in_child([]() -> std::string {
      std::raise(SIGKILL);
      return "never";
    });
    ADD_FAILURE() << "the child was killed: call_in_child must throw ChildFailed";
  } catch (const ChildFailed& failed) {
    EXPECT_THAT(failed.what(), HasSubstr("SIGKILL")) << "saying how the child ended";
  }
}

TEST_F(CallInChild, ReportsAChildThatExitedWithoutAnswering) {
  const course::DeadlineNote note{std::string(kParentHoldsTheWriteEnd)};
  EXPECT_THROW((void)call_in_child([]() -> std::string { ::_exit(0); }), ChildFailed);
}

}  // namespace
