// The one screen tools/watch shows (watch.cpp): the exercise it is on, its tests' verdicts and
// the first message of one that does not pass (or the compiler's first lines), the points, a
// hint when asked for, and the keys. Made as lines that fit the terminal, so that it can be
// tested without one.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "grading.hpp"

namespace grader {

struct WatchView {
  // The exercise: "1.1", its title in the rubric, and its section's heading in the lesson
  // ("Exercise 1.1 — `timed`: … (`timed.hpp`)"), where the lesson has one.
  std::string exercise;
  std::string title;
  std::string heading;
  std::string lesson;  // "chapters/01_sync/README.md:40"
  // Its tests, graded (the chapter's result with only this exercise's tests); nothing while
  // none has been graded yet, or when they did not compile.
  std::optional<ChapterResult> graded;
  std::string compile_errors;  // its tests did not compile: the compiler's messages
  double max_points = 0;  // what its tests are worth (shown as 0 of it while they do not compile)
  std::string chapter_errors;  // the rest of its chapter does not compile: the compiler says
  std::string chapter_name;    // "chapter 1"
  std::string hint;            // the hint asked for (h), as text: empty when none
  std::string status;          // what happened last: "timed.hpp saved: built and tested in 1.4 s"
  std::string doing;  // what is being done now ("exercise 1.2: building its tests"), or empty
  // Every exercise from where it started on passes (`status` says from where).
  bool all_done = false;
};

struct ScreenLine {
  std::string text;
  std::string colour;  // an ANSI SGR code ("31"), or empty
};

// The screen for a terminal of `rows` × `columns`: at most `rows` lines, each at most `columns`
// characters (cut with '…'); long messages, compiler output and hints are cut first.
std::vector<ScreenLine> watch_screen(const WatchView& view, int rows, int columns);

}  // namespace grader
