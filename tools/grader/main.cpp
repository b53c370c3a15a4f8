// The grader. tools/grade sets up the machine and a build tree, then runs this:
//
//   grader [--build-dir build] [-v] [--json F] [--junit F] [--gradescope F] [chapter ...]
//
// Teachers: --solutions, --require-full, --repeat N (how often timing verdicts flip).
// Maintainers' checks (tools/check):
//   grader --expect-not-started    every graded test must be "not started" (on the skeletons)
//   grader --check-rubric          every test is in the rubric and every rubric entry is a test
#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <map>
#include <optional>
#include <set>
#include <sstream>

#include <signal.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "grading.hpp"
#include "hints.hpp"
#include "manifest.hpp"
#include "reports.hpp"
#include "scoreboard.hpp"

namespace {

using namespace grader;
using Clock = std::chrono::steady_clock;

constexpr int kExitGradingFailed = 2;
constexpr int kExitInterrupted = 130;

// Set by SIGINT, SIGTERM and SIGHUP: the running test is killed, the reports are written.
std::atomic<bool> interrupted{false};
static_assert(std::atomic<bool>::is_always_lock_free, "set from a signal handler");

extern "C" void on_interrupt(int /*signal*/) {
  interrupted.store(true);
}

void catch_interrupts() {
  struct sigaction action {};
  action.sa_handler = on_interrupt;
  sigemptyset(&action.sa_mask);
  action.sa_flags = 0;  // no SA_RESTART: a blocking poll returns at once with EINTR
  for (const int signal : {SIGINT, SIGTERM, SIGHUP}) sigaction(signal, &action, nullptr);
}

struct Options {
  std::string build_dir = "build";
  std::vector<std::string> chapters;
  bool solutions = false;
  std::string sanitizer;
  bool verbose = false;
  bool no_build = false;
  int attempts = 3;
  // Seconds: the longest deadline a test sets (15 s), its notes and gdb's report (3 s), twice.
  double test_deadline = 36;
  bool test_deadline_given = false;  // then it is taken as it is, not stretched by a sanitizer
  bool require_full = false;
  std::string json;
  std::string junit;
  std::string gradescope;
  int repeat = 0;
  bool expect_not_started = false;
  bool check_rubric = false;
  std::vector<std::string> first_exercises;
  bool stop_at_first_failure = false;
  bool only_first = false;
  std::string program;
  std::string hint;  // "3.2", or "3.2:2" for its second hint
};

// The build tree for --solutions and --sanitize, as tools/grade and CMakePresets.json name them.
std::string default_build_dir(const Options& options) {
  const std::string tree = options.solutions ? "solutions" : "student";
  if (options.sanitizer.empty()) return options.solutions ? "build-solutions" : "build";
  return fmt::format("build-{}-{}", tree, options.sanitizer == "thread" ? "tsan" : "asan");
}

// Which chapters the arguments name: "1", "01", "chapter1" or "01_sync"; all when none.
std::vector<ChapterInfo> select_chapters(const Manifest& manifest,
                                         const std::vector<std::string>& wanted) {
  if (wanted.empty()) return manifest.chapters;
  std::vector<ChapterInfo> chosen;
  for (const auto& name : wanted) {
    const auto match =
        std::find_if(manifest.chapters.begin(), manifest.chapters.end(), [&](const ChapterInfo& c) {
          return name == std::to_string(c.number) || name == fmt::format("{:02}", c.number) ||
                 name == "chapter" + std::to_string(c.number) || name == c.folder ||
                 name == c.target;
        });
    if (match == manifest.chapters.end()) {
      throw std::runtime_error(
          fmt::format("there is no chapter '{}' in {}", name, manifest.build_dir.string()));
    }
    chosen.push_back(*match);
  }
  return chosen;
}

// A line that rewrites itself on a terminal: "chapter 1 [12/31] FetchAll.TakesTheSumOfTheDelays".
class ProgressLine {
 public:
  explicit ProgressLine(bool enabled) : enabled_(enabled) {}
  void show(const Progress& progress) const {
    if (!enabled_) return;
    std::string line = fmt::format("chapter {} [{}/{}] {}", progress.chapter.number, progress.done,
                                   progress.total, progress.doing);
    if (line.size() > 78) line.resize(78);
    std::fprintf(stderr, "\r\033[K%s", line.c_str());
    std::fflush(stderr);
  }
  void clear() const {
    if (enabled_) std::fprintf(stderr, "\r\033[K");
  }

 private:
  bool enabled_;
};

// Writes the reports asked for; a report that cannot be written is said, not fatal.
bool write_reports(const Options& options, const GradingRun& run) {
  bool ok = true;
  const auto write = [&](const std::string& file, auto make) {
    if (file.empty()) return;
    try {
      write_report(file, make(run));
    } catch (const std::exception& error) {
      std::cerr << "grader: " << error.what() << "\n";
      ok = false;
    }
  };
  write(options.json, json_report);
  write(options.junit, junit_report);
  write(options.gradescope, gradescope_report);
  return ok;
}

std::string scoreboard_text(const GradingRun& run) {
  std::ostringstream text;
  const Style plain{false, true};
  print_header(text, *run.manifest, plain);
  for (const auto& chapter : run.chapters) print_chapter(text, chapter, plain);
  print_summary(text, run.chapters, plain, run.interrupted);
  return text.str();
}

// Grades the chapters once, printing as it goes when `out` is given.
GradingRun grade(const Manifest& manifest, const std::vector<ChapterInfo>& chapters,
                 const GradingOptions& grading, const Options& options, std::ostream* out,
                 const Style& style) {
  GradingRun run;
  run.manifest = &manifest;
  const auto start = Clock::now();
  const ProgressLine progress(out != nullptr && ::isatty(STDERR_FILENO) != 0);
  GradingOptions with_progress = grading;
  with_progress.progress = [&progress](const Progress& now) { progress.show(now); };
  // Before any test runs: reports that say the grading is incomplete, in place of whatever an
  // earlier run (or a test) left there.
  run.scoreboard = scoreboard_text(run);
  write_reports(options, run);
  for (const auto& chapter : chapters) {
    if (interrupted.load()) break;
    run.chapters.push_back(grade_chapter(manifest, chapter, with_progress));
    progress.clear();
    run.interrupted = run.chapters.back().interrupted;
    if (out != nullptr) {
      print_chapter(*out, run.chapters.back(), style);
      out->flush();
    }
    run.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
    run.scoreboard = scoreboard_text(run);
    write_reports(options, run);  // after every chapter: an interruption loses nothing graded
  }
  run.interrupted = run.interrupted || interrupted.load();
  run.complete = !run.interrupted;
  run.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
  run.scoreboard = scoreboard_text(run);
  return run;
}

// Maintainers: every graded test of every chapter must be "not started" on the skeletons.
int expect_not_started(const GradingRun& run) {
  int wrong = 0;
  for (const auto& chapter : run.chapters) {
    if (chapter.rubric_error) {
      std::cout << fmt::format("chapter {}: {}\n", chapter.info.number, *chapter.rubric_error);
      ++wrong;
      continue;
    }
    for (const auto& result : chapter.tests) {
      if (result.outcome.verdict == Verdict::not_started) continue;
      ++wrong;
      std::cout << fmt::format("chapter {}: {} is {} on the skeleton, not \"not started\"\n",
                               chapter.info.number, result.test.name,
                               verdict_name(result.outcome.verdict));
      if (!result.outcome.message.empty()) std::cout << result.outcome.message << "\n";
    }
  }
  if (wrong == 0)
    std::cout
        << "Every graded test fails on the skeletons with NotImplemented, naming its exercise.\n";
  return wrong == 0 ? 0 : 1;
}

// Maintainers (tools/mutants): --program grades one chapter's tests from another program — a
// program of one exercise's tests — which must have every test it is asked to run.
void use_program(std::vector<ChapterInfo>& chapters, const Options& options) {
  if (chapters.size() != 1) {
    throw std::runtime_error("--program needs exactly one chapter (the one it has the tests of)");
  }
  ChapterInfo& chapter = chapters.front();
  chapter.tests = options.program;
  const auto listed = list_tests(chapter);
  const std::set<std::string> in_program(listed.begin(), listed.end());
  const Rubric rubric = read_rubric(chapter.rubric);
  for (const RubricTest* test : rubric.tests()) {
    const bool asked = !options.only_first ||
                       std::find(options.first_exercises.begin(), options.first_exercises.end(),
                                 test->exercise) != options.first_exercises.end();
    if (asked && !in_program.contains(test->name)) {
      throw std::runtime_error(fmt::format("{} has no test {} (exercise {})", options.program,
                                           test->name, test->exercise));
    }
  }
}

// Maintainers: the rubric names exactly the tests the test program has.
int check_rubric(const std::vector<ChapterInfo>& chapters) {
  int problems = 0;
  const auto problem = [&problems](const std::string& text) {
    std::cout << text << "\n";
    ++problems;
  };
  for (const auto& chapter : chapters) {
    try {
      const Rubric rubric = read_rubric(chapter.rubric);
      std::set<std::string> in_rubric;
      for (const RubricTest* test : rubric.tests()) in_rubric.insert(test->name);
      const auto listed = list_tests(chapter);
      const std::set<std::string> in_program(listed.begin(), listed.end());
      if (rubric.chapter != chapter.number) {
        problem(fmt::format("{}: says chapter = {}, but it is chapter {}'s rubric",
                            chapter.rubric.string(), rubric.chapter, chapter.number));
      }
      for (const auto& name : in_rubric) {
        if (!in_program.contains(name)) {
          problem(fmt::format("{}: lists {}, which is not a test of chapter {}",
                              chapter.rubric.string(), name, chapter.number));
        }
      }
      for (const auto& name : in_program) {
        if (!in_rubric.contains(name)) {
          problem(fmt::format("chapter {}: test {} has no entry in {}", chapter.number, name,
                              chapter.rubric.string()));
        }
      }
    } catch (const std::exception& error) {
      problem(error.what());
    }
  }
  if (problems == 0)
    std::cout << "Every graded test has a rubric entry, and every entry is a test.\n";
  return problems == 0 ? 0 : 1;
}

// Teachers and maintainers: grades `count` times and reports every test that did not pass in
// every run — on the solutions, each such run is a false failure, and a timing threshold to fix.
int repeat(const Manifest& manifest, const std::vector<ChapterInfo>& chapters,
           GradingOptions grading, const Options& options) {
  struct Tally {
    bool timing = false;
    std::map<std::string, int> verdicts;  // verdict → runs
    std::string last_message;
  };
  std::map<std::string, Tally> tallies;
  int runs_done = 0;
  for (int round = 1; round <= options.repeat && !interrupted.load(); ++round) {
    const GradingRun run = grade(manifest, chapters, grading, options, nullptr, Style{});
    if (run.interrupted) break;
    grading.build = false;  // built by the first round
    ++runs_done;
    double score = 0;
    double max = 0;
    double busiest = 0;
    std::vector<std::string> not_passed;
    for (const auto& chapter : run.chapters) {
      score += chapter.score();
      max += chapter.max_points();
      busiest = std::max(busiest, chapter.other_load);
      for (const auto& result : chapter.tests) {
        const std::string name = fmt::format("chapter{}.{}", chapter.info.number, result.test.name);
        Tally& tally = tallies[name];
        tally.timing = result.test.timing;
        ++tally.verdicts[std::string(verdict_name(result.outcome.verdict))];
        if (result.outcome.verdict != Verdict::passed &&
            result.outcome.verdict != Verdict::skipped &&
            result.outcome.verdict != Verdict::pending) {
          not_passed.push_back(name);
          tally.last_message = result.outcome.message;
        }
      }
    }
    std::cout << fmt::format(
        "run {:>2}/{}: {} / {}, other processes used {:.1f} cores{}{}\n", round, options.repeat,
        format_points(score), format_points(max), busiest,
        not_passed.empty() ? "" : "; did not pass: ", fmt::join(not_passed, ", "));
    std::cout.flush();
  }
  int flaky = 0;
  int pending = 0;
  for (const auto& [name, tally] : tallies) {
    const auto& verdicts = tally.verdicts;  // (clang 14 cannot capture a structured binding)
    const auto runs_with = [&verdicts](const char* verdict) {
      return verdicts.contains(verdict) ? verdicts.at(verdict) : 0;
    };
    // Pending: the machine was too busy to judge it — not a wrong verdict, but no points either.
    if (runs_with("pending") > 0) {
      ++pending;
      std::cout << fmt::format("{}: pending in {} of {} runs (too busy to judge)\n", name,
                               runs_with("pending"), runs_done);
    }
    if (runs_with("passed") + runs_with("skipped") + runs_with("pending") == runs_done) continue;
    ++flaky;
    std::vector<std::string> counts;
    for (const auto& [verdict, runs] : tally.verdicts)
      counts.push_back(fmt::format("{} {}", runs, verdict));
    std::cout << fmt::format("{}{}: {}\n  last message: {}\n", name,
                             tally.timing ? " (timing)" : "", fmt::join(counts, ", "),
                             tally.last_message);
  }
  std::cout << fmt::format("{} runs of {} tests: {} test{} did not pass in every run{}.\n",
                           runs_done, tallies.size(), flaky, flaky == 1 ? "" : "s",
                           pending == 0 ? "" : fmt::format(" ({} pending at times)", pending));
  if (interrupted.load()) return kExitInterrupted;
  return flaky == 0 ? 0 : 1;
}

// --hint 3.2[:K]: the exercise's K-th hint (the first by default) from its lesson, and how many
// more there are.
int print_hint(const Manifest& manifest, const std::string& wanted) {
  const auto colon = wanted.find(':');
  const std::string id = wanted.substr(0, colon);
  const int which = colon == std::string::npos ? 1 : std::atoi(wanted.c_str() + colon + 1);
  const int chapter_number = std::atoi(id.c_str());
  const auto chapter =
      std::find_if(manifest.chapters.begin(), manifest.chapters.end(),
                   [&](const ChapterInfo& c) { return c.number == chapter_number; });
  if (id.find('.') == std::string::npos || chapter == manifest.chapters.end()) {
    std::cerr << fmt::format("grader: there is no exercise '{}' (give its number, e.g. 3.2)\n", id);
    return kExitGradingFailed;
  }
  const auto found = read_hints(manifest.source_dir / chapter->lesson, id);
  if (!found) {
    std::cerr << fmt::format("grader: {} has no section for exercise {}\n", chapter->lesson, id);
    return kExitGradingFailed;
  }
  const int count = static_cast<int>(found->hints.size());
  if (count > 0 && (which < 1 || which > count)) {
    std::cerr << fmt::format("grader: exercise {} has {} hint{}: ask for 1 to {}\n", id, count,
                             count == 1 ? "" : "s", count);
    return kExitGradingFailed;
  }
  std::cout << fmt::format("{} ({}:{})\n\n", found->heading, chapter->lesson, found->line);
  if (count == 0) {
    std::cout << "Its section of the lesson has no hint: the section itself is the help.\n";
    return 0;
  }
  const Hint& hint = found->hints[static_cast<std::size_t>(which - 1)];
  std::cout << hint.title << "\n\n" << hint.text << "\n";
  if (which < count) {
    std::cout << fmt::format("\n({} more: tools/grade --hint {}:{})\n", count - which, id,
                             which + 1);
  }
  return 0;
}

int run_grader(const Options& options) {
  const Manifest manifest = read_manifest(options.build_dir);
  if (!options.hint.empty()) return print_hint(manifest, options.hint);
  if (!options.sanitizer.empty() && manifest.sanitizer != options.sanitizer) {
    throw std::runtime_error(
        fmt::format("{} is not built with the {} sanitizer (it has '{}'): tools/grade "
                    "--sanitize {} sets up such a tree",
                    options.build_dir, options.sanitizer, manifest.sanitizer, options.sanitizer));
  }
  auto chapters = select_chapters(manifest, options.chapters);
  if (!options.program.empty()) use_program(chapters, options);
  if (options.check_rubric) return check_rubric(chapters);

  GradingOptions grading;
  grading.build = !options.no_build;
  grading.timing_attempts = options.attempts;
  grading.time_scale = time_scale();
  grading.slowdown = options.test_deadline_given       ? 1.0
                     : manifest.sanitizer == "thread"  ? 10.0
                     : manifest.sanitizer == "address" ? 4.0
                                                       : 1.0;
  grading.test_deadline =
      std::chrono::milliseconds(static_cast<long>(options.test_deadline * 1000));
  grading.first_exercises = options.first_exercises;
  grading.stop_at_first_failure = options.stop_at_first_failure;
  grading.only_first = options.only_first;
  grading.cancel = &interrupted;
  // -v names the trace of each failed test that recorded spans (what ran when, for
  // ui.perfetto.dev): the tests write them into the build tree's traces/, made anew.
  if (options.verbose) {
    const auto folder = (manifest.build_dir / "traces").lexically_normal();
    if (const auto problem = prepare_trace_dir(manifest, folder)) {
      std::cerr << "grader: the failed tests' traces are not kept: " << *problem << "\n";
    } else {
      grading.trace_dir = folder;
    }
  }
  catch_interrupts();
  if (options.repeat > 0) return repeat(manifest, chapters, grading, options);

  const Style style{::isatty(STDOUT_FILENO) != 0 && std::getenv("NO_COLOR") == nullptr,
                    options.verbose};
  print_header(std::cout, manifest, style, measure_other_load(std::chrono::milliseconds(250)));
  const GradingRun run = grade(manifest, chapters, grading, options, &std::cout, style);
  print_summary(std::cout, run.chapters, style, run.interrupted);
  const bool reports_written = write_reports(options, run);

  if (run.interrupted) return kExitInterrupted;
  if (options.expect_not_started) return expect_not_started(run);
  const bool unreadable =
      std::any_of(run.chapters.begin(), run.chapters.end(),
                  [](const ChapterResult& chapter) { return chapter.rubric_error.has_value(); });
  if (unreadable || !reports_written) return kExitGradingFailed;
  if (options.require_full) {
    // Full marks are every test passed: a skipped test (too few cores, a sanitizer) is not.
    for (const auto& chapter : run.chapters) {
      if (chapter.score() < chapter.max_points()) return 1;
      for (const auto& result : chapter.tests) {
        if (result.outcome.verdict == Verdict::skipped && !result.outcome.skipped_for_cores) {
          return 1;
        }
      }
    }
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "Grades the course's chapters: builds them, runs each graded test in a process of its own "
      "under a "
      "deadline, and prints the scoreboard. Exits 0 when a score was produced (see "
      "--require-full), 2 when "
      "grading itself failed, 130 when interrupted."};
  Options options;
  app.add_option("chapters", options.chapters,
                 "Chapters to grade (1, chapter1 or 01_sync); all when none");
  app.add_option("--build-dir", options.build_dir,
                 "The configured build tree to grade (default: build, or the tree --solutions and "
                 "--sanitize name)");
  app.add_flag("--solutions", options.solutions,
               "Grade the reference solutions (build-solutions/)");
  app.add_option("--sanitize", options.sanitizer,
                 "Grade a tree built with this sanitizer (build-student-tsan/ or "
                 "build-student-asan/): a data "
                 "race or a memory error fails its test")
      ->check(CLI::IsMember({"thread", "address"}));
  app.add_flag("-v,--verbose", options.verbose,
               "A row per exercise, what every test that did not pass said, and the trace file "
               "(BUILD/traces/, for ui.perfetto.dev) of each that failed with spans recorded");
  app.add_flag("--no-build", options.no_build, "Grade what is built; do not build first");
  app.add_option("--attempts", options.attempts,
                 "Runs a failing timing test gets, the best one counting")
      ->check(CLI::Range(1, 20))
      ->capture_default_str();
  app.add_option("--test-deadline", options.test_deadline,
                 "Seconds a test may run before the grader kills it, if its own deadline (5 s, "
                 "15 s at most) did not stop it; the default is stretched 10 times under "
                 "ThreadSanitizer, 4 times under AddressSanitizer; any by COURSE_TIME_SCALE")
      ->check(CLI::Range(1.0, 3600.0))
      ->capture_default_str();
  app.add_flag(
      "--require-full", options.require_full,
      "Exit with 1 unless every test passes: a skipped one counts against, unless this machine has "
      "too few cores for it (teachers' CI)");
  app.add_option("--json", options.json, "Write the grader's own report (JSON) to this file");
  app.add_option("--junit", options.junit, "Write a JUnit XML report to this file");
  app.add_option("--gradescope", options.gradescope,
                 "Write Gradescope's results.json to this file");
  app.add_option("--repeat", options.repeat,
                 "Grade this many times and list every test that did not pass in every run (on the "
                 "solutions: "
                 "the timing verdicts that flip)")
      ->check(CLI::Range(1, 1000));
  app.add_flag(
      "--expect-not-started", options.expect_not_started,
      "Maintainers: check that every graded test fails with NotImplemented (the skeletons)");
  app.add_flag("--check-rubric", options.check_rubric,
               "Maintainers: check that the rubrics and the tests match");
  app.add_option("--first", options.first_exercises,
                 "Maintainers (tools/mutants): run these exercises' tests first, e.g. 2.2");
  app.add_flag("--stop-at-first-failure", options.stop_at_first_failure,
               "Maintainers (tools/mutants): end a chapter's grading at its first test that does "
               "not pass");
  app.add_flag("--only-first", options.only_first,
               "Maintainers (tools/mutants): grade only the tests of the --first exercises");
  app.add_option("--program", options.program,
                 "Maintainers (tools/mutants): run one chapter's tests from this test program "
                 "(one that has the tests to grade, e.g. one exercise's)");
  app.add_option("--hint", options.hint,
                 "Print a hint for an exercise from its lesson (3.2; 3.2:2 for its second hint) "
                 "instead of grading");
  CLI11_PARSE(app, argc, argv);
  if (app.get_option("--build-dir")->count() == 0) options.build_dir = default_build_dir(options);
  options.test_deadline_given = app.get_option("--test-deadline")->count() > 0;

  try {
    return run_grader(options);
  } catch (const std::exception& error) {
    std::cerr << "grader: " << error.what() << "\n";
    return kExitGradingFailed;
  }
}
