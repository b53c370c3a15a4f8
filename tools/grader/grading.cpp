#include "grading.hpp"

#include <algorithm>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>

#include <unistd.h>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <course/machine.hpp>

#include "exercise_files.hpp"

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

// A test skipped because it "needs N cores, this machine has M" (course/timing.hpp) is taken at
// its word only if M is what the grader counts too: a test program that saw fewer had its view
// of the machine changed by code in it, and the test fails.
void confirm_skip(Outcome& outcome) {
  if (outcome.verdict != Verdict::skipped) return;
  constexpr std::string_view kHas = "this machine has ";
  const auto at = outcome.message.find(kHas);
  if (at == std::string::npos || outcome.message.find("needs ") == std::string::npos) return;
  const unsigned seen =
      static_cast<unsigned>(std::strtoul(outcome.message.c_str() + at + kHas.size(), nullptr, 10));
  const unsigned cores = course::usable_cores();
  if (seen == cores) {
    outcome.skipped_for_cores = true;
    return;
  }
  outcome.verdict = Verdict::failed;
  outcome.message = fmt::format(
      "skipped, it says, because {}; but the grader counts {} cores here: something in the test "
      "program changed what it may use (its CPU affinity, or COURSE_USABLE_CORES)",
      outcome.message, cores);
}

// The limits a test program runs under, as prlimit(1)'s options (util-linux sets them before it
// executes the program): no core files; files of at most 1 GiB; an address space of at most
// 16 GiB, except under a sanitizer (whose shadow memory reserves terabytes); and, for a user
// other than root (whom RLIMIT_NPROC does not bind), 1024 processes more than the user has now.
std::vector<std::string> limits(bool sanitizer) {
  std::vector<std::string> options = {"--core=0", "--fsize=1073741824"};
  if (!sanitizer) options.emplace_back("--as=17179869184");
  if (::geteuid() != 0) {
    // RLIMIT_NPROC counts the user's threads: the machine's (an upper bound, from /proc/loadavg's
    // "running/total"), and room for 4096 more — enough for a test, not for a fork bomb.
    std::ifstream loadavg("/proc/loadavg");
    std::string skip;
    std::string entities;
    loadavg >> skip >> skip >> skip >> entities;
    const auto slash = entities.find('/');
    const unsigned long total =
        slash == std::string::npos ? 0 : std::strtoul(entities.c_str() + slash + 1, nullptr, 10);
    options.push_back(fmt::format("--nproc={}", total + 4096));
  }
  return options;
}

bool have_prlimit() {
  static const bool found = ::access("/usr/bin/prlimit", X_OK) == 0;
  return found;
}

Outcome run_test(const Manifest& manifest, const ChapterInfo& chapter, const RubricTest& test,
                 const GradingOptions& options, LoadMeter& chapter_load) {
  ProcessRequest request;
  request.argv = {chapter.tests.string(), "--gtest_filter=" + test.name, "--gtest_color=no"};
  if (have_prlimit()) {
    static const std::vector<std::string> prefix = [&manifest] {
      std::vector<std::string> argv = {"/usr/bin/prlimit"};
      for (auto& option : limits(!manifest.sanitizer.empty())) argv.push_back(std::move(option));
      argv.emplace_back("--");
      return argv;
    }();
    request.argv.insert(request.argv.begin(), prefix.begin(), prefix.end());
  }
  request.deadline = std::chrono::duration_cast<milliseconds>(
      options.test_deadline * options.time_scale * options.slowdown);
  request.cancel = options.cancel;
  // The verdict comes through a pipe of the grader's (course/result_channel in the support
  // library), not from what the test prints.
  request.results_fd = 3;
  request.environment.emplace_back("COURSE_RESULTS_FD", "3");
  // The cores as the grader counts them: code in the test program cannot make a test that needs
  // more cores skip itself by narrowing the program's affinity first.
  request.environment.emplace_back(course::kUsableCoresVariable,
                                   std::to_string(course::usable_cores()));
  LoadMeter load;
  const ProcessResult run = run_process(request);
  load.add_our_own(run.cpu_time);
  chapter_load.add_our_own(run.cpu_time);
  Outcome outcome = judge(run, test.name, manifest.source_dir);
  outcome.other_load = load.other_load();
  confirm_skip(outcome);
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

  // Before anything is built: an exercise file that redefines what the tests stand on costs the
  // chapter, with the place named.
  std::string not_built = "the chapter does not compile (see the compiler's messages above)";
  if (const auto macros = forbidden_macros(
          manifest.source_dir / manifest.source_tree / chapter.folder, manifest.source_dir);
      !macros.empty()) {
    result.built = false;
    not_built = "an exercise file redefines a name the tests stand on (see above)";
    result.build_messages = fmt::format(
        "{}\nThe tests include these files: a macro by such a name changes what the tests check, "
        "so the chapter is not graded. Rename the macro, or do without it.",
        fmt::join(macros, "\n"));
  } else if (options.build) {
    report("building");
    ProcessRequest build;
    build.argv = {"cmake", "--build", manifest.build_dir.string(), "--target", chapter.target};
    build.deadline = std::chrono::minutes(30);
    build.output_limit = 256 * 1024;
    build.cancel = options.cancel;
    const ProcessResult built = run_process(build);
    // Interrupted (Ctrl-C, a signal to the build): not a compile error, whatever it exited with.
    const bool signalled = built.ending == Ending::killed_by_signal ||
                           (built.ending == Ending::exited && built.exit_code >= 128 + 1 &&
                            built.exit_code <= 128 + SIGTERM);
    if (built.ending == Ending::cancelled || cancelled(options) ||
        (signalled && built.output.find("error:") == std::string::npos)) {
      result.interrupted = true;
      result.build_messages = "the build was interrupted before it ended";
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
      outcome.message = not_built;
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
    // (Pending is graded again at the end: it does not end a grading that stops at a failure.)
    const bool failed = outcome.verdict != Verdict::passed && outcome.verdict != Verdict::skipped &&
                        outcome.verdict != Verdict::pending;
    result.tests.push_back(TestResult{*test, std::move(outcome)});
    if (options.stop_at_first_failure && failed) break;
  }
  // What the machine was too busy to judge gets another chance now, and is not passed if it is
  // still too busy.
  for (auto& graded : result.tests) {
    for (int attempt = 1; graded.outcome.verdict == Verdict::pending &&
                          attempt <= options.timing_attempts && !cancelled(options);
         ++attempt) {
      report(graded.test.name + " (again: it was pending)");
      Outcome again = run_test(manifest, chapter, graded.test, options, load);
      again.attempts = graded.outcome.attempts + 1;
      graded.outcome = std::move(again);
    }
    if (graded.outcome.verdict == Verdict::pending) {
      graded.outcome.message += " — still pending after the chapter: not passed";
    }
  }
  result.other_load = load.other_load();
  return result;
}

std::string protections(const Manifest& manifest) {
  std::string text =
      "each test runs alone in a process group of its own, under a deadline; whatever it leaves "
      "running is stopped and killed; its verdict comes from a pipe of the grader's, not from "
      "its output";
  if (have_prlimit()) {
    text +=
        fmt::format("; limits (prlimit): {}", fmt::join(limits(!manifest.sanitizer.empty()), " "));
  } else {
    text += "; no resource limits (prlimit is not installed)";
  }
  if (::geteuid() == 0) text += "; as root, the tests could write the sources and the reports";
  return text;
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
