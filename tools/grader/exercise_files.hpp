// What the grader checks in a chapter's exercise files before it builds them.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace grader {

// The places where an exercise file (the .hpp and .cpp files at the top of `folder`, the ones a
// student edits) #defines or #undefs a name the tests stand on: a C++ keyword (`#define private
// public`), a name of gtest's (`TEST`, `EXPECT_EQ`, `GTEST_...`) or of the course's support
// library (`COURSE_...`, `course`). The tests include these files, so such a macro would change
// what the tests check. One line each, "chapters/03_gil/tick_gil.hpp:12: #define private public",
// paths relative to `source_dir`.
std::vector<std::string> forbidden_macros(const std::filesystem::path& folder,
                                          const std::filesystem::path& source_dir);

// Places in the exercise files of chapter `chapter` (in `folder`) that a teacher should look at:
// calls that a right answer to the chapter has no need of and that a student who wants the
// points without the work would use — ending the program before the tests' verdicts (`_exit`),
// finding out which test runs (`/proc/self/cmdline`, `getenv("GTEST_FILTER")`), signals to other
// processes, gtest's own machinery, descriptors the grader opened. What the chapter teaches is
// not listed there (fork, _exit and signals in chapter 4, processes in chapter 8). Comments are
// skipped. One line each, "chapters/02_threads/run_all.cpp:12: _exit( — why to look", paths
// relative to `source_dir`. Nothing is refused: some of these have honest uses.
std::vector<std::string> for_the_teacher(const std::filesystem::path& folder, int chapter,
                                         const std::filesystem::path& source_dir);

}  // namespace grader
