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

}  // namespace grader
