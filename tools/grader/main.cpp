// The grader. tools/grade sets up the machine and a build tree, then runs this:
//
//   grader [--build-dir build] [-v] [chapter ...]
//
// Maintainers' checks (tools/check):
//   grader --expect-not-started    every graded test must be "not started" (on the skeletons)
//   grader --check-rubric          every test is in the rubric and every rubric entry is a test
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <set>

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "grading.hpp"
#include "manifest.hpp"
#include "scoreboard.hpp"

namespace {

using namespace grader;

constexpr int kExitGradingFailed = 2;

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
    if (match == manifest.chapters.end())
      throw CLI::ValidationError("chapter", fmt::format("no chapter '{}'", name));
    chosen.push_back(*match);
  }
  return chosen;
}

// COURSE_TIME_SCALE, as the test programs read it; they refuse a bad value, and so does this.
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

// A line that rewrites itself on a terminal: "chapter 1 [12/31] FetchAll.TakesTheSumOfTheDelays".
class ProgressLine {
 public:
  explicit ProgressLine(bool enabled) : enabled_(enabled) {}
  void show(const Progress& progress) {
    if (!enabled_) return;
    std::string line = fmt::format("chapter {} [{}/{}] {}", progress.chapter.number, progress.done,
                                   progress.total, progress.doing);
    if (line.size() > 78) line.resize(78);
    std::fprintf(stderr, "\r\033[K%s", line.c_str());
    std::fflush(stderr);
  }
  void clear() {
    if (enabled_) std::fprintf(stderr, "\r\033[K");
  }

 private:
  bool enabled_;
};

// Maintainers: every graded test of every chapter must be "not started" on the skeletons.
int expect_not_started(const std::vector<ChapterResult>& results) {
  int wrong = 0;
  for (const auto& chapter : results) {
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

// Maintainers: the rubric names exactly the tests the test program has.
int check_rubric(const std::vector<ChapterInfo>& chapters) {
  int problems = 0;
  for (const auto& chapter : chapters) {
    try {
      const Rubric rubric = read_rubric(chapter.rubric);
      std::set<std::string> in_rubric;
      for (const RubricTest* test : rubric.tests()) in_rubric.insert(test->name);
      std::set<std::string> in_program;
      for (const auto& name : list_tests(chapter)) in_program.insert(name);
      if (rubric.chapter != chapter.number) {
        std::cout << fmt::format("{}: says chapter = {}, but it is chapter {}'s rubric\n",
                                 chapter.rubric.string(), rubric.chapter, chapter.number);
        ++problems;
      }
      for (const auto& name : in_rubric) {
        if (!in_program.contains(name)) {
          std::cout << fmt::format("{}: lists {}, which is not a test of chapter {}\n",
                                   chapter.rubric.string(), name, chapter.number);
          ++problems;
        }
      }
      for (const auto& name : in_program) {
        if (!in_rubric.contains(name)) {
          std::cout << fmt::format("chapter {}: test {} has no entry in {}\n", chapter.number, name,
                                   chapter.rubric.string());
          ++problems;
        }
      }
    } catch (const std::exception& error) {
      std::cout << error.what() << "\n";
      ++problems;
    }
  }
  if (problems == 0)
    std::cout << "Every graded test has a rubric entry, and every entry is a test.\n";
  return problems == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "Grades the course's chapters: builds them, runs each graded test in a process of its own, "
      "prints "
      "the scoreboard."};
  std::string build_dir = "build";
  std::vector<std::string> wanted;
  bool verbose = false;
  bool no_build = false;
  bool require_full = false;
  bool expect_skeletons = false;
  bool rubric_only = false;
  bool solutions = false;
  int attempts = 3;
  app.add_option("chapters", wanted, "Chapters to grade (1, chapter1 or 01_sync); all when none");
  app.add_option("--build-dir", build_dir, "The configured build tree to grade")
      ->capture_default_str();
  app.add_flag("--solutions", solutions,
               "Grade the reference solutions: the tree build-solutions/ (tools/grade sets it up)");
  app.add_flag("-v,--verbose", verbose,
               "A row per exercise, and the message of every test that did not pass");
  app.add_flag("--no-build", no_build, "Grade what is built; do not build first");
  app.add_option("--attempts", attempts, "Runs a failing timing test gets, the best one counting")
      ->check(CLI::Range(1, 20))
      ->capture_default_str();
  app.add_flag("--require-full", require_full,
               "Exit with 1 unless every checked test passes (teachers' CI)");
  app.add_flag(
      "--expect-not-started", expect_skeletons,
      "Maintainers: check that every graded test fails with NotImplemented (the skeletons)");
  app.add_flag("--check-rubric", rubric_only,
               "Maintainers: check that the rubrics and the tests match");
  CLI11_PARSE(app, argc, argv);
  if (solutions && app.get_option("--build-dir")->count() == 0) build_dir = "build-solutions";

  try {
    const Manifest manifest = read_manifest(build_dir);
    const auto chapters = select_chapters(manifest, wanted);
    if (rubric_only) return check_rubric(chapters);

    const Style style{::isatty(STDOUT_FILENO) != 0 && std::getenv("NO_COLOR") == nullptr, verbose};
    GradingOptions options;
    options.build = !no_build;
    options.timing_attempts = attempts;
    options.time_scale = time_scale();
    ProgressLine progress(::isatty(STDERR_FILENO) != 0);
    options.progress = [&progress](const Progress& now) { progress.show(now); };

    print_header(std::cout, manifest, style);
    std::vector<ChapterResult> results;
    bool unreadable = false;
    for (const auto& chapter : chapters) {
      results.push_back(grade_chapter(manifest, chapter, options));
      progress.clear();
      print_chapter(std::cout, results.back(), style);
      std::cout.flush();
      unreadable = unreadable || results.back().rubric_error.has_value();
    }
    print_summary(std::cout, results, style);

    if (expect_skeletons) return expect_not_started(results);
    if (unreadable) return kExitGradingFailed;
    if (require_full) {
      for (const auto& chapter : results) {
        if (chapter.score() < chapter.max_points()) return 1;
      }
    }
    return 0;
  } catch (const CLI::Error& error) {
    return app.exit(error);
  } catch (const std::exception& error) {
    std::cerr << "grader: " << error.what() << "\n";
    return kExitGradingFailed;
  }
}
