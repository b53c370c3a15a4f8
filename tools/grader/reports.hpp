// The reports the grader writes on request, besides the scoreboard it prints:
//   --json FILE        its own report: every test's verdict, message, figures, and the machine
//   --junit FILE       JUnit XML, for CI systems (GitHub Actions, GitLab, Jenkins)
//   --gradescope FILE  Gradescope's results.json
// Each is written whole or not at all (a temporary file, then renamed), after every chapter,
// so an interrupted run leaves what it graded.
#pragma once

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "grading.hpp"
#include "manifest.hpp"

namespace grader {

struct GradingRun {
  const Manifest* manifest = nullptr;
  std::vector<ChapterResult> chapters;
  bool interrupted = false;
  std::chrono::milliseconds elapsed{0};
  std::string scoreboard;  // the scoreboard as text (-v, no colour): Gradescope shows it
};

std::string json_report(const GradingRun& run);
std::string junit_report(const GradingRun& run);
std::string gradescope_report(const GradingRun& run);

// Writes `content` to `file` through a temporary file in the same folder, then a rename.
void write_report(const std::filesystem::path& file, const std::string& content);

// `text` as valid UTF-8: invalid bytes (a test may print anything) become U+FFFD.
std::string valid_utf8(std::string_view text);

}  // namespace grader
