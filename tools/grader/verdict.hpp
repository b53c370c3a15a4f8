// What one run of one graded test means: its verdict, the few lines that say why, and the
// figures it recorded.
#pragma once

#include <chrono>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include <course/run_process.hpp>

namespace grader {

using course::Ending;
using course::ProcessRequest;
using course::ProcessResult;
using course::run_process;
using course::signal_name;

enum class Verdict {
  passed,
  failed,        // an assertion failed, or a sanitizer found a race or a memory error
  not_started,   // the exercise still throws course::NotImplemented (or the chapter does not
                 // compile)
  crashed,       // killed by a signal (SIGSEGV, SIGABRT, ...)
  timed_out,     // stopped by its deadline
  skipped,       // could not be checked here (e.g. too few cores); the reason says why
  pending,       // it passed, but what it measured could not be judged (the machine was too
                 // busy): graded again at the end of its chapter, and not passed if still so
  build_failed,  // the chapter does not compile
  missing,       // the rubric names a test the test program does not have
  error,         // the grader could not run it
};

std::string_view verdict_name(Verdict verdict);

struct Figure {
  std::string name;   // "speedup"
  std::string value;  // "1.86×"
  std::string note;   // "needs ≥ 1.25× on 2 cores", "not judged: ...", or empty

  // "speedup 1.86× (needs ≥ 1.25× on 2 cores)"
  [[nodiscard]] std::string text() const;
};

struct Outcome {
  Verdict verdict = Verdict::error;
  std::string message;  // why, in a few lines (empty when it passed)
  std::vector<Figure> figures;
  std::chrono::milliseconds elapsed{0};
  int attempts = 1;
  std::string output;  // all it printed, as captured (cut if it flooded)
  // How many cores' worth of CPU other processes used while it ran (negative: unknown). Timing
  // measured while this is high is not to be trusted.
  double other_load = -1;
  // Whether another run might end differently: a failed assertion of a timing test may have
  // lost to a busy moment; a sanitizer's report is not noise.
  bool retryable = true;
  // Skipped for too few cores, and the grader counts as few: the one skip --require-full allows.
  bool skipped_for_cores = false;
  // The trace of its spans a test that did not pass wrote (COURSE_TRACE_DIR; the support
  // library's trace.hpp), as its output names it; the grader keeps it only where it gave the
  // test that folder (grading.cpp). Empty: none.
  std::filesystem::path trace;
};

// Judges the run of gtest test `test` ("Suite.Name"). Paths under `source_dir` are shown
// relative to it in the message.
Outcome judge(const ProcessResult& run, std::string_view test,
              const std::filesystem::path& source_dir);

// The compiler's messages in a build's output, without the build tool's chatter, paths
// relative to `source_dir`, at most `max_lines` lines.
std::string compiler_messages(std::string_view build_output,
                              const std::filesystem::path& source_dir, int max_lines = 40);

}  // namespace grader
