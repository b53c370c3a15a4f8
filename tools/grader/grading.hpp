// Grading a chapter: build it, run each graded test of its rubric in a process of its own,
// judge every run, retry timing tests, and add up the points.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "manifest.hpp"
#include "rubric.hpp"
#include "verdict.hpp"

namespace grader {

struct TestResult {
  RubricTest test;
  Outcome outcome;
  [[nodiscard]] double score() const {
    return outcome.verdict == Verdict::passed ? test.points : 0;
  }
};

struct ChapterResult {
  ChapterInfo info;
  Rubric rubric;
  std::optional<std::string> rubric_error;  // the rubric could not be read: nothing was graded
  bool built = false;
  std::string build_messages;     // the compiler's messages when it did not build
  std::vector<TestResult> tests;  // in the rubric's order
  bool interrupted = false;       // grading stopped before every test of the rubric was run
  // Cores' worth of CPU other processes used while the tests ran (negative: unknown).
  double other_load = -1;
  // The points of the tests left out on purpose (--only-first): not in the maximum either.
  double left_out_points = 0;
  // Places in the exercise files a teacher should look at (exercise_files.hpp): no verdict.
  std::vector<std::string> for_the_teacher;
  // Where the chapter did not compile: the exercises whose tests compiled as a program of their
  // own (chapterN_tests_M), and that program. Their tests are graded; the others' are not.
  std::map<std::string, std::filesystem::path> exercise_programs;

  // The program that runs `test`: the chapter's, that of its exercise alone, or none (empty).
  [[nodiscard]] std::filesystem::path program_of(const RubricTest& test) const;

  [[nodiscard]] double score() const;
  // The points of the tests that were checked: skipped tests (too few cores, a sanitizer) are
  // left out of the maximum rather than given or refused.
  [[nodiscard]] double max_points() const;
  [[nodiscard]] double skipped_points() const;
  [[nodiscard]] int count(Verdict verdict) const;
};

struct Progress {
  const ChapterInfo& chapter;
  std::string doing;  // "building", or the test being run
  int done = 0;       // tests graded so far
  int total = 0;
};

struct GradingOptions {
  bool build = true;
  int timing_attempts = 3;  // a timing test that fails is run again, up to this many runs in all
  // Beyond the test's own watchdog (5 s, stretched under sanitizers): a backstop for a test
  // whose watchdog could not act. Stretched by COURSE_TIME_SCALE and by `slowdown`.
  std::chrono::milliseconds test_deadline{36'000};
  double time_scale = 1.0;
  // How much slower the tests run in this tree: the support library stretches each test's own
  // deadline as much under a sanitizer (deadline.cpp's sanitizer_slowdown).
  double slowdown = 1.0;
  // The mutant check's: these exercises' tests run first ("2.2"), and a chapter's grading ends
  // at its first test that does not pass (one failure is enough to catch a wrong solution).
  std::vector<std::string> first_exercises;
  bool stop_at_first_failure = false;
  bool only_first = false;  // and only their tests are graded
  // Where a test that fails writes the trace of the spans it recorded (COURSE_TRACE_DIR), a folder
  // prepare_trace_dir made; empty: the tests write none.
  std::filesystem::path trace_dir;
  std::function<void(const Progress&)> progress;
  // Set (by a signal handler) to stop grading: the running test is killed, no other starts.
  const std::atomic<bool>* cancel = nullptr;
};

// How far an exercise is: its tests that passed, of those graded in `chapter` (a skipped test is
// left out). It is finished when every one of them passes: the scoreboard's "next:" line and
// tools/watch name the first exercise that is not.
struct ExerciseProgress {
  int passed = 0;
  int total = 0;
  [[nodiscard]] bool finished() const { return passed == total; }
};
ExerciseProgress exercise_progress(const ChapterResult& chapter, const std::string& exercise);

// How a build of one target ended, with the build's output.
enum class BuildEnding { built, failed, interrupted };
struct Build {
  BuildEnding ending = BuildEnding::failed;
  std::string output;
};

// Builds `target` in the manifest's tree (cmake --build), stopped by `options.cancel`.
Build build_target(const Manifest& manifest, const std::string& target,
                   const GradingOptions& options);

// COURSE_TIME_SCALE, as the test programs read it (1 when unset); they refuse a bad value, and
// so does this (std::runtime_error).
double time_scale();

// What protects the grading from the tests, in words: how each test program is run.
std::string protections(const Manifest& manifest);

// Whether other processes kept the machine so busy (`other_load` cores' worth) that timing
// measured meanwhile cannot be trusted: more than half the cores (plus a little), since the
// test itself may need the rest.
bool machine_was_busy(double other_load);

// How many cores' worth of CPU other processes use: measured over `window`, during which this
// process sleeps (negative: unknown).
double measure_other_load(std::chrono::milliseconds window);

// Makes `folder` anew and empty, for the traces of the tests that fail: writable by the user the
// tests run as (nobody, when the grader is root; the one folder of the build tree nobody may
// write). Says what went wrong, if anything.
std::optional<std::string> prepare_trace_dir(const Manifest& manifest,
                                             const std::filesystem::path& folder);

ChapterResult grade_chapter(const Manifest& manifest, const ChapterInfo& chapter,
                            const GradingOptions& options);

// The names of the tests in a chapter's test program (gtest's --gtest_list_tests), as Suite.Test.
std::vector<std::string> list_tests(const ChapterInfo& chapter);

}  // namespace grader
