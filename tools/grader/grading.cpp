#include "grading.hpp"

#include <algorithm>
#include <sstream>
#include <thread>

#include <fmt/format.h>

#include <course/machine.hpp>

namespace grader {

double ChapterResult::score() const {
  double total = 0;
  for (const auto& result : tests) total += result.score();
  return total;
}

double ChapterResult::max_points() const {
  return rubric.max_points() - skipped_points() - left_out_points;
}

double ChapterResult::skipped_points() const {
  double total = 0;
  for (const auto& result : tests) {
    if (result.outcome.verdict == Verdict::skipped) total += result.test.points;
  }
  return total;
}

int ChapterResult::count(Verdict verdict) const {
  int total = 0;
  for (const auto& result : tests) total += result.outcome.verdict == verdict ? 1 : 0;
  return total;
}

namespace {

using std::chrono::milliseconds;

// How many cores' worth of CPU other processes used over a stretch of time: the machine's CPU
// time, less what our own children used. /proc/stat counts in ticks of 10 ms per core, so a
// stretch shorter than 100 ms is too coarse to tell (-1: unknown).
class LoadMeter {
 public:
  LoadMeter() : start_(std::chrono::steady_clock::now()), busy_(course::machine_cpu_time()) {}

  void add_our_own(milliseconds cpu) { ours_ += cpu; }

  [[nodiscard]] double other_load() const {
    const auto busy = course::machine_cpu_time();
    const auto elapsed =
        std::chrono::duration_cast<milliseconds>(std::chrono::steady_clock::now() - start_);
    if (!busy_ || !busy || elapsed < milliseconds(100)) return -1;
    const double others = static_cast<double>((*busy - *busy_ - ours_).count());
    return std::clamp(others / static_cast<double>(elapsed.count()), 0.0,
                      static_cast<double>(course::usable_cores()));
  }

 private:
  std::chrono::steady_clock::time_point start_;
  std::optional<milliseconds> busy_;
  milliseconds ours_{0};
};

Outcome run_test(const Manifest& manifest, const ChapterInfo& chapter, const RubricTest& test,
                 const GradingOptions& options, LoadMeter& chapter_load) {
  ProcessRequest request;
  request.argv = {chapter.tests.string(), "--gtest_filter=" + test.name, "--gtest_color=no"};
  request.deadline = std::chrono::duration_cast<milliseconds>(
      options.test_deadline * options.time_scale * options.slowdown);
  request.cancel = options.cancel;
  LoadMeter load;
  const ProcessResult run = run_process(request);
  load.add_our_own(run.cpu_time);
  chapter_load.add_our_own(run.cpu_time);
  Outcome outcome = judge(run, test.name, manifest.source_dir);
  outcome.other_load = load.other_load();
  return outcome;
}

bool cancelled(const GradingOptions& options) {
  return options.cancel != nullptr && options.cancel->load();
}

}  // namespace

ChapterResult grade_chapter(const Manifest& manifest, const ChapterInfo& chapter,
                            const GradingOptions& options) {
  ChapterResult result{chapter, {}, std::nullopt, false, "", {}};
  try {
    result.rubric = read_rubric(chapter.rubric);
  } catch (const std::exception& error) {
    result.rubric_error = error.what();
    return result;
  }
  auto tests = result.rubric.tests();
  const auto first =
      std::stable_partition(tests.begin(), tests.end(), [&options](const RubricTest* test) {
        return std::find(options.first_exercises.begin(), options.first_exercises.end(),
                         test->exercise) != options.first_exercises.end();
      });
  if (options.only_first) {
    for (auto left_out = first; left_out != tests.end(); ++left_out) {
      result.left_out_points += (*left_out)->points;
    }
    tests.erase(first, tests.end());
  }
  const auto report = [&](std::string doing) {
    if (options.progress)
      options.progress(Progress{chapter, std::move(doing), static_cast<int>(result.tests.size()),
                                static_cast<int>(tests.size())});
  };

  if (options.build) {
    report("building");
    ProcessRequest build;
    build.argv = {"cmake", "--build", manifest.build_dir.string(), "--target", chapter.target};
    build.deadline = std::chrono::minutes(30);
    build.output_limit = 256 * 1024;
    build.cancel = options.cancel;
    const ProcessResult built = run_process(build);
    if (built.ending == Ending::cancelled) {
      result.interrupted = true;
      return result;
    }
    result.built = built.ending == Ending::exited && built.exit_code == 0;
    if (!result.built) result.build_messages = compiler_messages(built.output, manifest.source_dir);
  } else {
    result.built = std::filesystem::exists(chapter.tests);
    if (!result.built)
      result.build_messages = fmt::format("{} has not been built", chapter.tests.string());
  }

  LoadMeter load;
  for (const RubricTest* test : tests) {
    if (cancelled(options)) {
      result.interrupted = true;
      break;
    }
    report(test->name);
    Outcome outcome;
    if (!result.built) {
      outcome.verdict = Verdict::build_failed;
      outcome.message = "the chapter does not compile (see the compiler's messages above)";
    } else {
      outcome = run_test(manifest, chapter, *test, options, load);
      // A timing test can lose to a noisy moment; it gets more runs, and its best counts.
      for (int attempt = 2;
           test->timing && outcome.verdict == Verdict::failed && outcome.retryable &&
           attempt <= options.timing_attempts && !cancelled(options);
           ++attempt) {
        Outcome again = run_test(manifest, chapter, *test, options, load);
        again.attempts = attempt;
        outcome = std::move(again);
      }
    }
    if (cancelled(options)) {  // the test was killed half-way: it has no verdict
      result.interrupted = true;
      break;
    }
    const bool failed = outcome.verdict != Verdict::passed && outcome.verdict != Verdict::skipped;
    result.tests.push_back(TestResult{*test, std::move(outcome)});
    if (options.stop_at_first_failure && failed) break;
  }
  result.other_load = load.other_load();
  return result;
}

double measure_other_load(std::chrono::milliseconds window) {
  const LoadMeter meter;
  std::this_thread::sleep_for(window);
  return meter.other_load();
}

bool machine_was_busy(double other_load) {
  return other_load > 0.5 * course::usable_cores() + 0.25;
}

std::vector<std::string> list_tests(const ChapterInfo& chapter) {
  ProcessRequest request;
  request.argv = {chapter.tests.string(), "--gtest_list_tests"};
  request.deadline = std::chrono::seconds(30);
  const ProcessResult run = run_process(request);
  if (run.ending != Ending::exited || run.exit_code != 0) {
    throw std::runtime_error(
        fmt::format("{} --gtest_list_tests failed:\n{}", chapter.tests.string(), run.output));
  }
  // Suites start in the first column and end with '.', their tests are indented below.
  std::vector<std::string> names;
  std::istringstream lines(run.output);
  std::string line;
  std::string suite;
  while (std::getline(lines, line)) {
    if (line.empty()) continue;
    if (line.front() != ' ') {
      suite = line.substr(0, line.find(' '));
    } else {
      const auto first = line.find_first_not_of(' ');
      names.push_back(suite + line.substr(first, line.find(' ', first) - first));
    }
  }
  return names;
}

}  // namespace grader
