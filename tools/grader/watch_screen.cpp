#include "watch_screen.hpp"

#include <algorithm>
#include <sstream>

#include <fmt/format.h>

#include "reports.hpp"
#include "scoreboard.hpp"

namespace grader {
namespace {

// Characters on the screen: code points, the lead bytes of UTF-8 (printable() made it valid).
std::size_t width(std::string_view text) {
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

// Where the first `columns` characters of `text` end, in bytes.
std::size_t byte_at(std::string_view text, std::size_t columns) {
  std::size_t seen = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) continue;
    if (seen == columns) return i;
    ++seen;
  }
  return text.size();
}

std::string cut(std::string text, std::size_t columns) {
  if (width(text) <= columns) return text;
  text.resize(byte_at(text, columns == 0 ? 0 : columns - 1));
  return text + "…";
}

// The lines of `text`, each indented by `indent` and wrapped to `columns` (tabs as two spaces).
std::vector<std::string> wrapped(std::string_view text, std::size_t indent, std::size_t columns) {
  std::vector<std::string> lines;
  const std::size_t room = columns > indent + 10 ? columns - indent : 10;
  std::istringstream input{printable(text)};
  std::string line;
  while (std::getline(input, line)) {
    for (auto tab = line.find('\t'); tab != std::string::npos; tab = line.find('\t', tab))
      line.replace(tab, 1, "  ");
    std::string_view rest = line;
    do {
      const std::size_t end = byte_at(rest, room);
      lines.push_back(std::string(indent, ' ') + std::string(rest.substr(0, end)));
      rest.remove_prefix(end);
    } while (!rest.empty());
  }
  return lines;
}

// A block of lines that may be cut to fit: a title line and what follows it.
struct Block {
  std::vector<ScreenLine> lines;
  std::size_t shown = 0;
};

Block block(std::string title, std::string_view colour, std::string_view text,
            std::size_t columns) {
  Block made;
  if (text.empty()) return made;
  made.lines.push_back({"", ""});
  made.lines.push_back({std::move(title), std::string(colour)});
  for (auto& line : wrapped(text, 4, columns)) made.lines.push_back({std::move(line), ""});
  return made;
}

}  // namespace

std::vector<ScreenLine> watch_screen(const WatchView& view, int rows, int columns) {
  const auto room = static_cast<std::size_t>(std::max(columns, 20));
  std::vector<ScreenLine> top;
  std::vector<ScreenLine> middle;  // fixed lines between the blocks: verdicts, points
  std::vector<ScreenLine> points;
  if (view.all_done) {
    top.push_back({"Every exercise passes", "1;32"});
  } else if (!view.exercise.empty()) {
    top.push_back({view.heading.empty() ? fmt::format("Exercise {} — {}", view.exercise, view.title)
                                        : view.heading,
                   "1"});
    top.push_back({fmt::format("{}, lesson {}", view.chapter_name, view.lesson), "2"});
  } else {
    top.push_back({"tools/watch", "1"});
  }

  Block message;
  if (!view.compile_errors.empty()) {
    message = block("does not compile; the compiler says:", "31", view.compile_errors, room);
    points.push_back({"", ""});
    points.push_back(
        {fmt::format("points: 0 / {} · its tests do not compile", format_points(view.max_points)),
         "1"});
  } else if (view.graded) {
    middle.push_back({"", ""});
    const ChapterResult& graded = *view.graded;
    const TestResult* first_not_passed = nullptr;
    for (const auto& result : graded.tests) {
      const Outcome& outcome = result.outcome;
      std::string line =
          fmt::format("  {:<11} {}", verdict_name(outcome.verdict), result.test.name);
      for (const auto& figure : outcome.figures) line += "  " + printable(figure.text());
      middle.push_back({std::move(line), std::string(colour_of(outcome.verdict))});
      if (first_not_passed == nullptr && outcome.verdict != Verdict::passed &&
          outcome.verdict != Verdict::skipped && !outcome.message.empty()) {
        first_not_passed = &result;
      }
    }
    if (graded.tests.empty()) middle.push_back({"  (no graded test)", "2"});
    if (first_not_passed != nullptr) {
      message = block(fmt::format("{} says:", first_not_passed->test.name), "",
                      first_not_passed->outcome.message, room);
    }
    const ExerciseProgress progress = exercise_progress(graded, view.exercise);
    points.push_back({"", ""});
    points.push_back(
        {fmt::format("points: {} / {} · {} of {} tests pass{}", format_points(graded.score()),
                     format_points(graded.max_points()), progress.passed, progress.total,
                     progress.finished() ? " · done" : ""),
         progress.finished() ? "1;32" : "1"});
  }
  Block hint = block("hint:", "1;36", view.hint, room);
  Block chapter =
      block(fmt::format("{} does not compile elsewhere; the compiler says:", view.chapter_name),
            "31", view.chapter_errors, room);

  std::vector<ScreenLine> bottom = {{"", ""}, {view.status, "2"}};
  if (!view.doing.empty()) bottom.push_back({"… " + view.doing, "33"});
  bottom.push_back({"press h for the hint, n for the next exercise, q to quit", "1"});

  // Rows for the blocks: each gets up to 4 lines first, then what is left goes to the message,
  // the hint, and the chapter's errors, in that order.
  const std::size_t fixed = top.size() + middle.size() + points.size() + bottom.size();
  std::size_t left = rows > static_cast<int>(fixed) ? static_cast<std::size_t>(rows) - fixed : 0;
  for (Block* each : {&message, &hint, &chapter}) {
    each->shown = std::min({each->lines.size(), std::size_t{4}, left});
    left -= each->shown;
  }
  for (Block* each : {&message, &hint, &chapter}) {
    const std::size_t more = std::min(each->lines.size() - each->shown, left);
    each->shown += more;
    left -= more;
  }

  std::vector<ScreenLine> screen;
  const auto add = [&screen, room](const std::vector<ScreenLine>& lines, std::size_t count) {
    for (std::size_t i = 0; i < count && i < lines.size(); ++i) {
      ScreenLine line = lines[i];
      if (i + 1 == count && count < lines.size()) {
        line = {fmt::format("    … ({} more lines)", lines.size() - count + 1), "2"};
      }
      line.text = cut(std::move(line.text), room);
      screen.push_back(std::move(line));
    }
  };
  add(top, top.size());
  add(middle, middle.size());
  add(message.lines, message.shown);
  add(points, points.size());
  add(hint.lines, hint.shown);
  add(chapter.lines, chapter.shown);
  add(bottom, bottom.size());
  // A terminal too small for even the fixed lines: the keys and the status stay, at the end.
  const auto most = static_cast<std::size_t>(std::max(rows, 1));
  if (screen.size() > most) {
    screen.erase(screen.begin(),
                 screen.begin() + static_cast<std::ptrdiff_t>(screen.size() - most));
  }
  return screen;
}

}  // namespace grader
