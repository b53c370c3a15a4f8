// A test program's child processes: the ones it started and has not waited for. Chapter 4's
// tests check that the student's code leaves none — neither running (an orphan to be) nor
// ended and never waited for (a zombie) — and the deadline kills any it leaves when it stops
// a test.
//
// Test programs are "subreapers" (set in main): a process one of them started that loses its
// parent — a worker whose pool forgot it — comes back to the test program instead of init, so
// it is seen here too.
#pragma once

#include <string>
#include <vector>

#include <sys/types.h>

#include <gtest/gtest.h>

namespace course {

struct ChildProcess {
  pid_t pid;
  char state;  // 'Z' for a zombie; 'R', 'S', 'D', 'T' ... for one still there
  std::string name;
};

// This process's children, from /proc.
std::vector<ChildProcess> child_processes();

// Kills every child still running and reaps every child, zombies too; returns how many it killed.
int kill_child_processes();

// Success when this process has no child left; otherwise a failure that names them — running
// ones and zombies — after killing and reaping them, so that the next test starts clean.
::testing::AssertionResult no_child_processes_left();

}  // namespace course
