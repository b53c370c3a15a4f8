// The scoreboard the grader prints: a header with the machine, a line per chapter (points, a
// bar, verdict counts), with -v a row per exercise and the message of every test that did not
// pass, the total, and the next step.
#pragma once

#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "grading.hpp"
#include "manifest.hpp"

namespace grader {

struct Style {
  bool color = false;  // ANSI colours (a terminal, and NO_COLOR unset)
  bool verbose = false;
};

// `other_load`: how many cores' worth other processes kept busy just before (negative: unknown).
void print_header(std::ostream& out, const Manifest& manifest, const Style& style,
                  double other_load = -1);
void print_chapter(std::ostream& out, const ChapterResult& chapter, const Style& style);
void print_summary(std::ostream& out, const std::vector<ChapterResult>& chapters,
                   const Style& style, bool interrupted = false);

// The ANSI colour (an SGR code) a verdict is shown in: green passed, yellow not started or
// pending, dim skipped, red the rest.
std::string_view colour_of(Verdict verdict);

// "12.5" or "12": points as a teacher writes them.
std::string format_points(double points);

}  // namespace grader
