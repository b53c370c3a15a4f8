// The reports the grader writes on request, besides the scoreboard it prints:
//   --json FILE        its own report: every test's verdict, message, figures, and the machine
//   --junit FILE       JUnit XML, for CI systems (GitHub Actions, GitLab, Jenkins)
//   --gradescope FILE  Gradescope's results.json
// Each is written whole or not at all (a temporary file, then renamed): first before any test
// runs, saying that grading is incomplete (a grader killed before it ends never leaves an older
// or a forged score behind), then after every chapter, so an interrupted run leaves what it
// graded, marked incomplete until the end.
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
  bool complete = false;  // every chapter asked for was graded: the reports are final
  std::chrono::milliseconds elapsed{0};
  std::string scoreboard;  // the scoreboard as text (-v, no colour): Gradescope shows it
};

std::string json_report(const GradingRun& run);
std::string junit_report(const GradingRun& run);
std::string gradescope_report(const GradingRun& run);

// Writes `content` to `file` through a temporary file in the same folder, then a rename.
void write_report(const std::filesystem::path& file, const std::string& content);

// `text` as valid UTF-8: what is not (a test may print anything: stray bytes, overlong forms,
// encoded surrogates, code points past U+10FFFF) becomes U+FFFD.
std::string valid_utf8(std::string_view text);

// `text` for a terminal: valid UTF-8 without control characters (escape sequences could move the
// cursor, clear the screen or retitle the window), but for newlines and tabs.
std::string printable(std::string_view text);

}  // namespace grader
