// An exercise's hints, read from its lesson: the lessons keep them as <details> blocks in the
// exercise's section, and `tools/grade --hint 3.2` prints them from there (nothing is written
// twice).
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace grader {

struct Hint {
  std::string title;  // the <summary>: "Hint", "Hint 2: the shape"
  std::string text;   // what the <details> block holds, as Markdown
};

struct ExerciseHints {
  std::string
      heading;   // "Exercise 3.2 — `TickGil`: Python 2's ticks, taken in turn (`tick_gil.cpp`)"
  int line = 0;  // where the exercise's section starts in the lesson (1-based)
  std::vector<Hint> hints;
};

// The section of exercise `id` ("3.2") in `lesson` — a heading "Exercise 3.2 …" at any level, up
// to the next heading of its level or above — and the <details> blocks in it; nothing when the
// lesson has no such section. Throws std::runtime_error when the lesson cannot be read.
std::optional<ExerciseHints> read_hints(const std::filesystem::path& lesson, const std::string& id);

}  // namespace grader
