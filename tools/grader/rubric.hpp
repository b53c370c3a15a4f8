// A chapter's rubric (tests/NN_topic/rubric.toml): which tests are graded, grouped by exercise,
// and what each is worth. Teachers edit it; no C++ is involved.
//
//   chapter = 1
//   title = "The problems of synchronous code"
//
//   [[exercise]]
//   id = "1.1"
//   title = "timed: measure any call"
//   tests = [
//     { name = "Timed.ReturnsTheResultAndHowLongTheCallTook", points = 2, timing = true },
//     { name = "Timed.WorksForCallablesThatReturnNothing", points = 1 },
//   ]
//
// Per test: points (a number ≥ 0), timing (retried best-of-k when it fails; default false),
// visibility (Gradescope's: visible, hidden, after_due_date, after_published; default visible,
// or the exercise's own `visibility`).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace grader {

struct RubricTest {
  std::string name;      // gtest's Suite.Test
  std::string exercise;  // "1.1"
  double points = 0;
  bool timing = false;
  std::string visibility = "visible";
};

struct Exercise {
  std::string id;
  std::string title;
  std::vector<RubricTest> tests;
};

struct Rubric {
  int chapter = 0;
  std::string title;
  std::vector<Exercise> exercises;

  [[nodiscard]] double max_points() const;
  [[nodiscard]] std::vector<const RubricTest*> tests() const;
};

// Reads and checks a rubric; throws std::runtime_error naming the file, the line and the
// problem (a missing name, negative points, a test listed twice, an unknown visibility, ...).
Rubric read_rubric(const std::filesystem::path& file);

}  // namespace grader
