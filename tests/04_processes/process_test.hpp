// The fixture of chapter 4's tests: after each test, no child process may be left — neither
// running nor a zombie. (Those left are named, killed and waited for, so the next test starts
// clean; the deadline kills them too, if a test hangs.)
#pragma once

#include <gtest/gtest.h>

#include <course/testing.hpp>

namespace processes_testing {

class ProcessTest : public ::testing::Test {
 protected:
  void TearDown() override {
    EXPECT_TRUE(course::no_child_processes_left())
        << "every child must be waited for (waitpid) before the function that started it returns";
  }
};

}  // namespace processes_testing
