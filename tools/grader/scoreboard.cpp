#include "scoreboard.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <iterator>
#include <sstream>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <course/machine.hpp>

#include "reports.hpp"

namespace grader {
namespace {

constexpr int kBarWidth = 20;

std::string paint(const Style& style, std::string_view code, std::string_view text) {
  if (!style.color) return std::string(text);
  return fmt::format("\033[{}m{}\033[0m", code, text);
}

std::string bar(double score, double max) {
  const int filled = max > 0 ? static_cast<int>(std::lround(kBarWidth * score / max)) : 0;
  return "[" + std::string(static_cast<std::size_t>(filled), '#') +
         std::string(static_cast<std::size_t>(kBarWidth - filled), '.') + "]";
}

// Each line of `text` after `prefix`, fit for a terminal: a test's output may hold escape
// sequences (they could clear the screen or forge lines of the scoreboard) and stray bytes.
std::string indent(std::string_view text, std::string_view prefix) {
  std::string out;
  std::istringstream lines{printable(text)};
  std::string line;
  while (std::getline(lines, line)) out += fmt::format("{}{}\n", prefix, line);
  return out;
}

// A path as one would type it at this terminal: relative to the working directory where it is
// under it, else whole.
std::string shown(const std::filesystem::path& path) {
  std::error_code error;
  const auto here = std::filesystem::current_path(error);
  if (error) return path.string();
  const auto relative = path.lexically_relative(here);
  if (relative.empty() || *relative.begin() == "..") return path.string();
  return relative.string();
}

std::string counts(const ChapterResult& chapter, const Style& style) {
  std::vector<std::string> parts;
  for (const Verdict verdict :
       {Verdict::passed, Verdict::failed, Verdict::not_started, Verdict::crashed,
        Verdict::timed_out, Verdict::skipped, Verdict::pending, Verdict::build_failed,
        Verdict::missing, Verdict::error}) {
    if (const int n = chapter.count(verdict); n > 0) {
      parts.push_back(
          paint(style, colour_of(verdict), fmt::format("{} {}", n, verdict_name(verdict))));
    }
  }
  return fmt::format("{}", fmt::join(parts, " · "));
}

std::string figures_of(const Outcome& outcome) {
  std::vector<std::string> parts;
  for (const auto& figure : outcome.figures) {
    parts.push_back(printable(figure.text()));
  }
  return fmt::format("{}", fmt::join(parts, ", "));
}

// The first exercise not fully passed, in chapter and rubric order.
struct NextStep {
  const ChapterResult* chapter = nullptr;
  const Exercise* exercise = nullptr;
  int passed = 0;
  int total = 0;
};

NextStep next_step(const std::vector<ChapterResult>& chapters) {
  for (const auto& chapter : chapters) {
    for (const auto& exercise : chapter.rubric.exercises) {
      const ExerciseProgress progress = exercise_progress(chapter, exercise.id);
      if (!progress.finished()) return {&chapter, &exercise, progress.passed, progress.total};
    }
  }
  return {};
}

}  // namespace

std::string_view colour_of(Verdict verdict) {
  switch (verdict) {
    case Verdict::passed:
      return "32";  // green
    case Verdict::skipped:
      return "2";  // dim
    case Verdict::not_started:
    case Verdict::pending:
      return "33";  // yellow
    default:
      return "31";  // red
  }
}

std::string format_points(double points) {
  if (std::abs(points - std::round(points)) < 1e-9) return fmt::format("{:.0f}", points);
  return fmt::format("{:.1f}", points);
}

void print_header(std::ostream& out, const Manifest& manifest, const Style& style,
                  double other_load) {
  const bool solutions = manifest.source_tree == "solutions";
  out << paint(style, "1", solutions ? "Grading the reference solutions" : "Grading your chapters")
      << fmt::format(" ({}, {}{})\n", manifest.build_dir.filename().string(), manifest.build_type,
                     manifest.sanitizer.empty() ? "" : ", " + manifest.sanitizer + " sanitizer");
  const unsigned cores = course::usable_cores();
  std::string machine = fmt::format("{} core{}", cores, cores == 1 ? "" : "s");
  if (const auto model = course::cpu_model()) machine += fmt::format(" ({})", *model);
  machine += ", " + manifest.compiler;
  if (other_load >= 0) machine += fmt::format(", other processes busy on {:.1f} cores", other_load);
  out << "machine: " << machine << "\n";
  if (style.verbose) out << "protections: " << protections(manifest) << "\n";
  if (machine_was_busy(other_load)) {
    out << paint(style, "33",
                 "warning: the machine is busy: timing tests may fail. Grade again when it is "
                 "quieter.")
        << "\n";
  }
}

void print_chapter(std::ostream& out, const ChapterResult& chapter, const Style& style) {
  const std::string title =
      fmt::format("chapter {}  {}", chapter.info.number,
                  chapter.rubric.title.empty() ? chapter.info.folder : chapter.rubric.title);
  if (chapter.rubric_error) {
    out << fmt::format("\n{}\n  {}\n", title,
                       paint(style, "31", "cannot grade: " + *chapter.rubric_error));
    return;
  }
  out << fmt::format("\n{:<52} {} {:>5} / {:<4} {}\n", title,
                     bar(chapter.score(), chapter.max_points()), format_points(chapter.score()),
                     format_points(chapter.max_points()), counts(chapter, style));
  if (chapter.skipped_points() > 0) {
    out << fmt::format("  ({} points skipped here, for the reasons -v shows)\n",
                       format_points(chapter.skipped_points()));
  }
  // Timing measured while other processes kept the machine busy is not to be trusted: say so,
  // for the timing tests that were measured so, or for the chapter as a whole.
  const auto busy =
      std::count_if(chapter.tests.begin(), chapter.tests.end(), [](const TestResult& result) {
        return result.test.timing && machine_was_busy(result.outcome.other_load);
      });
  const bool has_timing = std::any_of(chapter.tests.begin(), chapter.tests.end(),
                                      [](const TestResult& result) { return result.test.timing; });
  if (busy > 0 || (has_timing && machine_was_busy(chapter.other_load))) {
    out << "  "
        << paint(style, "33",
                 fmt::format("warning: other processes kept the machine busy ({:.1f} of {} cores) "
                             "while the tests ran; timing results may not be trusted",
                             chapter.other_load, course::usable_cores()))
        << "\n";
  }
  if (chapter.interrupted) {
    out << "  " << paint(style, "33", "interrupted: not every test of this chapter was graded")
        << "\n";
  }
  if (!chapter.built) {
    out << "  " << paint(style, "31", "does not compile") << "; the compiler says:\n"
        << indent(chapter.build_messages, "    ");
    if (!chapter.exercise_programs.empty()) {
      std::vector<std::string> alone;
      for (const auto& [exercise, program] : chapter.exercise_programs) alone.push_back(exercise);
      out << fmt::format("  graded alone, the exercises whose tests compile without the rest: {}\n",
                         fmt::join(alone, ", "));
    }
  }
  if (!style.verbose) return;
  if (!chapter.for_the_teacher.empty()) {
    out << fmt::format("  for the teacher to look at (no points depend on it):\n{}",
                       indent(fmt::format("{}", fmt::join(chapter.for_the_teacher, "\n")), "    "));
  }
  for (const auto& exercise : chapter.rubric.exercises) {
    double score = 0;
    double max = 0;
    for (const auto& result : chapter.tests) {
      if (result.test.exercise != exercise.id) continue;
      score += result.score();
      max += result.outcome.verdict == Verdict::skipped ? 0 : result.test.points;
    }
    out << fmt::format("  {:<5} {:<44} {:>5} / {}\n", exercise.id, exercise.title,
                       format_points(score), format_points(max));
    std::string_view said;  // a message shared by several tests of the exercise is said once
    for (const auto& result : chapter.tests) {
      if (result.test.exercise != exercise.id) continue;
      const Outcome& outcome = result.outcome;
      std::string line = fmt::format("        {} {}",
                                     paint(style, colour_of(outcome.verdict),
                                           fmt::format("{:<11}", verdict_name(outcome.verdict))),
                                     result.test.name);
      if (outcome.attempts > 1) line += fmt::format(" (best of {} runs)", outcome.attempts);
      if (const auto figures = figures_of(outcome); !figures.empty()) line += "  " + figures;
      // A figure the test did not judge already says why (the machine was busy): once is enough.
      const bool said_unjudged =
          std::any_of(outcome.figures.begin(), outcome.figures.end(),
                      [](const Figure& figure) { return figure.note.starts_with("not judged"); });
      if (result.test.timing && machine_was_busy(outcome.other_load) && !said_unjudged) {
        line +=
            paint(style, "33",
                  fmt::format("  (busy machine: others used {:.1f} cores)", outcome.other_load));
      }
      out << line << "\n";
      // (A passed test's message is a note, such as processes it left running.)
      if (outcome.verdict != Verdict::build_failed && !outcome.message.empty() &&
          outcome.message != said) {
        out << indent(outcome.message, "                    ");
        said = outcome.message;
      }
      if (!outcome.trace.empty()) {
        out << indent(fmt::format("trace: {} (open it in ui.perfetto.dev)", shown(outcome.trace)),
                      "                    ");
      }
    }
  }
}

void print_summary(std::ostream& out, const std::vector<ChapterResult>& chapters,
                   const Style& style, bool interrupted) {
  double score = 0;
  double max = 0;
  for (const auto& chapter : chapters) {
    score += chapter.score();
    max += chapter.max_points();
  }
  const double percent = max > 0 ? 100 * score / max : 0;
  out << "\n"
      << paint(style, "1",
               fmt::format("{:<52} {} {:>5} / {:<4} {:.0f}%", "total", bar(score, max),
                           format_points(score), format_points(max), percent))
      << "\n";
  if (interrupted) {
    out << "\n"
        << paint(style, "33", "Interrupted: the scores above count only the tests graded so far.")
        << "\n";
    return;
  }
  const NextStep step = next_step(chapters);
  if (step.exercise == nullptr) {
    if (max > 0) out << "\nEvery graded test passes.\n";
    return;
  }
  out << fmt::format("\nnext: exercise {} — {} ({} of {} tests pass); the lesson is {}\n",
                     step.exercise->id, step.exercise->title, step.passed, step.total,
                     step.chapter->info.lesson);
  if (!style.verbose) out << "      tools/grade -v shows every test's message\n";
  out << fmt::format("      tools/grade --hint {} prints a hint\n", step.exercise->id);
}

}  // namespace grader
