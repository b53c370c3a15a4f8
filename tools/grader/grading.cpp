#include "grading.hpp"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>

#include <unistd.h>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <course/machine.hpp>

#include "exercise_files.hpp"

namespace grader {

std::filesystem::path ChapterResult::program_of(const RubricTest& test) const {
  if (built) return info.tests;
  const auto alone = exercise_programs.find(test.exercise);
  return alone == exercise_programs.end() ? std::filesystem::path() : alone->second;
}

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

ExerciseProgress exercise_progress(const ChapterResult& chapter, const std::string& exercise) {
  ExerciseProgress progress;
  for (const auto& result : chapter.tests) {
    if (result.test.exercise != exercise || result.outcome.verdict == Verdict::skipped) continue;
    ++progress.total;
    progress.passed += result.outcome.verdict == Verdict::passed ? 1 : 0;
  }
  return progress;
}

Build build_target(const Manifest& manifest, const std::string& target,
                   const GradingOptions& options) {
  ProcessRequest build;
  build.argv = {"cmake", "--build", manifest.build_dir.string(), "--target", target};
  build.deadline = std::chrono::minutes(30);
  build.output_limit = 256 * 1024;
  build.cancel = options.cancel;
  ProcessResult built = run_process(build);
  // Interrupted (Ctrl-C, a signal to the build): not a compile error, whatever it exited with.
  const bool signalled = built.ending == Ending::killed_by_signal ||
                         (built.ending == Ending::exited && built.exit_code >= 128 + 1 &&
                          built.exit_code <= 128 + SIGTERM);
  if (built.ending == Ending::cancelled || (options.cancel != nullptr && options.cancel->load()) ||
      (signalled && built.output.find("error:") == std::string::npos)) {
    return {BuildEnding::interrupted, std::move(built.output)};
  }
  const bool ok = built.ending == Ending::exited && built.exit_code == 0;
  return {ok ? BuildEnding::built : BuildEnding::failed, std::move(built.output)};
}

double time_scale() {
  const char* text = std::getenv("COURSE_TIME_SCALE");
  if (text == nullptr || *text == '\0') return 1.0;
  char* end = nullptr;
  const double value = std::strtod(text, &end);
  if (*end != '\0' || !(value > 0 && value <= 100)) {
    throw std::runtime_error(fmt::format(
        "COURSE_TIME_SCALE is '{}', but it must be a number above 0 and at most 100", text));
  }
  return value;
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

// The user a test program runs as when the grader is root: nobody may write the sources, the
// build tree or the reports, nor signal the grader.
constexpr std::string_view kTestUser = "65534:65534";  // nobody:nogroup
constexpr uid_t kTestUid = 65534;
constexpr gid_t kTestGid = 65534;

// How a test program is run, found once: grader-sandbox (sandbox.cpp, built beside the grader)
// and what it can do on this machine, as its --probe says.
struct Sandbox {
  std::filesystem::path program;  // empty: not found, the tests run unconfined
  bool pid_namespace = false;
  bool other_user = false;
  std::string refused;  // what the kernel or the file system refused, in words
};

const Sandbox& sandbox(const Manifest& manifest) {
  static const Sandbox found = [&manifest] {
    Sandbox sandbox;
    std::error_code error;
    const auto program =
        std::filesystem::read_symlink("/proc/self/exe", error).parent_path() / "grader-sandbox";
    if (error || ::access(program.c_str(), X_OK) != 0) {
      sandbox.refused = "grader-sandbox is not built beside the grader";
      return sandbox;
    }
    sandbox.program = program;
    ProcessRequest probe;
    probe.argv = {program.string(), "--probe", "--user", std::string(kTestUser),
                  manifest.chapters.empty() ? std::string("/bin/true")
                                            : manifest.chapters.front().tests.string()};
    probe.deadline = std::chrono::seconds(10);
    const ProcessResult said = run_process(probe);
    sandbox.pid_namespace = said.output.starts_with("pid-namespace");
    sandbox.other_user = said.output.find(" user") != std::string::npos;
    if (!sandbox.pid_namespace) sandbox.refused = "the kernel refused a PID namespace";
    if (said.output.find("cannot-run-the-program") != std::string::npos) {
      sandbox.refused += fmt::format(
          "{}user nobody cannot run the test programs under {} (a "
          "folder above them is closed to other users)",
          sandbox.refused.empty() ? "" : "; ", manifest.build_dir.string());
    }
    return sandbox;
  }();
  return found;
}

// The limits a test program runs under, as grader-sandbox's --limit options: no core files;
// files of at most 1 GiB; an address space of at most 16 GiB, except under a sanitizer (whose
// shadow memory reserves terabytes); CPU time no more than the deadline allows on every core;
// and, for a user other than root (whom RLIMIT_NPROC does not bind), room for 4096 threads more.
std::vector<std::string> limits(const Manifest& manifest, std::chrono::milliseconds deadline) {
  std::vector<std::string> options = {"core=0", "fsize=1073741824"};
  if (manifest.sanitizer.empty()) options.emplace_back("as=17179869184");
  const auto seconds = std::chrono::ceil<std::chrono::seconds>(deadline).count();
  options.push_back(fmt::format("cpu={}", seconds * course::usable_cores() + 10));
  if (sandbox(manifest).other_user) {
    options.emplace_back("nproc=8192");  // nobody's threads: the tests' own
  } else if (::geteuid() != 0) {
    // RLIMIT_NPROC counts the user's threads: the machine's (an upper bound, from
    // /proc/loadavg's "running/total"), and room for 4096 more — enough for a test, not for a
    // fork bomb.
    std::ifstream loadavg("/proc/loadavg");
    std::string skip;
    std::string entities;
    loadavg >> skip >> skip >> skip >> entities;
    const auto slash = entities.find('/');
    const unsigned long total =
        slash == std::string::npos ? 0 : std::strtoul(entities.c_str() + slash + 1, nullptr, 10);
    options.push_back(fmt::format("nproc={}", total + 4096));
  }
  return options;
}

Outcome run_test(const Manifest& manifest, const std::filesystem::path& program,
                 const RubricTest& test, const GradingOptions& options, LoadMeter& chapter_load) {
  ProcessRequest request;
  request.deadline = std::chrono::duration_cast<milliseconds>(
      options.test_deadline * options.time_scale * options.slowdown);
  // The verdict comes through a pipe of the grader's (course/result_channel in the support
  // library), not from what the test prints; the sandbox adds its report of what the program
  // left running after the program ended.
  request.results_fd = 3;
  request.environment.emplace_back("COURSE_RESULTS_FD", "3");
  if (const Sandbox& confined = sandbox(manifest); !confined.program.empty()) {
    request.argv = {confined.program.string(), "--report-fd", "3"};
    // (Where the namespaces are refused, or work but /proc cannot be mounted in them.)
    if (!confined.pid_namespace) request.argv.emplace_back("--no-namespace");
    if (confined.other_user) {
      request.argv.emplace_back("--user");
      request.argv.emplace_back(kTestUser);
    }
    for (auto& limit : limits(manifest, request.deadline)) {
      request.argv.emplace_back("--limit");
      request.argv.push_back(std::move(limit));
    }
    request.argv.emplace_back("--");
  }
  request.argv.push_back(program.string());
  request.argv.push_back("--gtest_filter=" + test.name);
  // Set either way: empty, a folder in the grader's environment (one for ctest, say) is not
  // written to by tests that run as another user.
  request.environment.emplace_back("COURSE_TRACE_DIR", options.trace_dir.string());
  request.argv.emplace_back("--gtest_color=no");
  request.cancel = options.cancel;
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
  // The output names the trace file; it counts only as a file the test wrote in the folder the
  // grader gave it (what a test prints is the student's code's to choose).
  if (!outcome.trace.empty()) {
    std::error_code error;
    const bool ours =
        !options.trace_dir.empty() && outcome.trace.parent_path() == options.trace_dir &&
        std::filesystem::is_regular_file(std::filesystem::symlink_status(outcome.trace, error));
    if (!ours) outcome.trace.clear();
  }
  confirm_skip(outcome);
  return outcome;
}

bool cancelled(const GradingOptions& options) {
  return options.cancel != nullptr && options.cancel->load();
}

}  // namespace

ChapterResult grade_chapter(const Manifest& manifest, const ChapterInfo& chapter,
                            const GradingOptions& options) {
  ChapterResult result{chapter, {}, std::nullopt, false, "", {}, false, -1, 0, {}, {}};
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

  result.for_the_teacher =
      for_the_teacher(manifest.source_dir / manifest.source_tree / chapter.folder, chapter.number,
                      manifest.source_dir);

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
    const Build built = build_target(manifest, chapter.target, options);
    if (built.ending == BuildEnding::interrupted) {
      result.interrupted = true;
      result.build_messages = "the build was interrupted before it ended";
      return result;
    }
    result.built = built.ending == BuildEnding::built;
    if (!result.built) {
      result.build_messages = compiler_messages(built.output, manifest.source_dir);
      // Finer isolation: each exercise's tests as a program of their own, with only the exercise
      // files they stand on (CourseChapter.cmake), so that what compiles is graded.
      for (const auto& exercise : result.rubric.exercises) {
        report(fmt::format("building exercise {} alone", exercise.id));
        const std::string target = fmt::format("{}_tests_{}", chapter.target,
                                               exercise.id.substr(exercise.id.find('.') + 1));
        const Build alone = build_target(manifest, target, options);
        if (alone.ending == BuildEnding::interrupted) {
          result.interrupted = true;
          return result;
        }
        if (alone.output.find("unknown target") != std::string::npos) break;  // an older tree
        if (alone.ending == BuildEnding::built) {
          result.exercise_programs[exercise.id] = chapter.tests.parent_path() / target;
        }
      }
      if (!result.exercise_programs.empty()) {
        not_built =
            "this exercise does not compile (the compiler's messages are above); the "
            "exercises that compile alone were graded";
      }
    }
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
    if (result.program_of(*test).empty()) {
      outcome.verdict = Verdict::build_failed;
      outcome.message = not_built;
    } else {
      outcome = run_test(manifest, result.program_of(*test), *test, options, load);
      // A timing test can lose to a noisy moment; it gets more runs, and its best counts.
      for (int attempt = 2;
           test->timing && outcome.verdict == Verdict::failed && outcome.retryable &&
           attempt <= options.timing_attempts && !cancelled(options);
           ++attempt) {
        Outcome again = run_test(manifest, result.program_of(*test), *test, options, load);
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
      Outcome again =
          run_test(manifest, result.program_of(graded.test), graded.test, options, load);
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

std::optional<std::string> prepare_trace_dir(const Manifest& manifest,
                                             const std::filesystem::path& folder) {
  std::error_code error;
  // What an earlier grading's tests left there goes: remove_all removes a link a test made, not
  // what it points to.
  std::filesystem::remove_all(folder, error);
  if (!error) std::filesystem::create_directories(folder, error);
  if (error) return fmt::format("cannot make {}: {}", folder.string(), error.message());
  if (sandbox(manifest).other_user && ::chown(folder.c_str(), kTestUid, kTestGid) != 0) {
    return fmt::format("cannot give {} to user nobody: {}", folder.string(), std::strerror(errno));
  }
  return std::nullopt;
}

std::string protections(const Manifest& manifest) {
  const Sandbox& confined = sandbox(manifest);
  std::string text =
      "each test runs alone under a deadline, its verdict from a pipe of the grader's (not from "
      "its output)";
  if (confined.program.empty()) {
    text += "; in a process group of its own, whatever it leaves running killed after it";
  } else {
    text += confined.pid_namespace
                ? "; in a PID namespace of its own (whatever it leaves running is named, fails "
                  "the test and dies with it; it sees no other process)"
                : "; in a process group of its own, whatever it leaves running killed after it";
    if (confined.other_user) {
      text +=
          "; as user nobody (it cannot write the sources, the build tree — but for its "
          "traces/ folder, with -v — or the reports, nor signal the grader)";
    } else if (::geteuid() == 0) {
      text += "; as root (it could write the sources and the reports)";
    }
    // The limits as they are for a test of the default deadline.
    text += fmt::format("; limits: {}", fmt::join(limits(manifest, std::chrono::seconds(60)), " "));
  }
  if (!confined.refused.empty()) text += fmt::format(" (not in force: {})", confined.refused);
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
