// Figures a test measured (a speedup, a latency, an elapsed time), kept beside its verdict.
//
// record_figure("speedup", "1.86×", "≥ 1.25× on 2 cores") prints
//   [   FIGURE ] speedup = 1.86× (needs ≥ 1.25× on 2 cores)
// which the grader shows beside the test's points, and records it as a gtest property
// ("course.figure.speedup") for --gtest_output=xml/json.
#pragma once

#include <string_view>

namespace course {

void record_figure(std::string_view name, std::string_view value,
                   std::string_view requirement = {});

// A figure measured but not judged, and why: record_unjudged("speedup", "1.05×", "other
// processes kept 1.0 of 2 cores busy") prints
//   [   FIGURE ] speedup = 1.05× (not judged: other processes kept 1.0 of 2 cores busy)
void record_unjudged(std::string_view name, std::string_view value, std::string_view why);

}  // namespace course
