// tools/watch's screen (watch_screen.hpp), and the rule it shares with the scoreboard's "next:"
// line: an exercise is finished when every test of it that was checked passes.
#include <algorithm>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "watch_screen.hpp"

namespace {

using grader::ChapterResult;
using grader::ScreenLine;
using grader::Verdict;

grader::TestResult result(const std::string& name, Verdict verdict, std::string message = "") {
  grader::TestResult made;
  made.test.name = name;
  made.test.exercise = "9.1";
  made.test.points = 2;
  made.outcome.verdict = verdict;
  made.outcome.message = std::move(message);
  return made;
}

ChapterResult graded(std::vector<grader::TestResult> tests) {
  ChapterResult chapter;
  chapter.built = true;
  chapter.rubric.exercises.push_back({"9.1", "first", {}});
  for (const auto& test : tests) chapter.rubric.exercises.back().tests.push_back(test.test);
  chapter.tests = std::move(tests);
  return chapter;
}

std::string text_of(const std::vector<ScreenLine>& screen) {
  std::string text;
  for (const auto& line : screen) text += line.text + "\n";
  return text;
}

grader::WatchView view_of(ChapterResult chapter) {
  grader::WatchView view;
  view.exercise = "9.1";
  view.title = "first";
  view.chapter_name = "chapter 9";
  view.lesson = "chapters/09_fake/README.md:3";
  view.graded = std::move(chapter);
  view.status = "12:00:00  first.cpp saved (save 1): built and tested in 1.2 s";
  return view;
}

TEST(ExerciseProgress, IsFinishedWhenEveryCheckedTestPasses) {
  EXPECT_TRUE(grader::exercise_progress(
                  graded({result("A.a", Verdict::passed), result("A.b", Verdict::skipped)}), "9.1")
                  .finished());
  const auto progress = grader::exercise_progress(
      graded({result("A.a", Verdict::passed), result("A.b", Verdict::pending)}), "9.1");
  EXPECT_EQ(progress.passed, 1);
  EXPECT_EQ(progress.total, 2);
  EXPECT_FALSE(progress.finished()) << "pending is not passed";
}

TEST(WatchScreen, ShowsTheVerdictsTheFirstMessageThePointsAndTheKeys) {
  const auto screen = grader::watch_screen(
      view_of(graded({result("A.a", Verdict::passed),
                      result("A.b", Verdict::not_started, "exercise 9.1: not implemented yet"),
                      result("A.c", Verdict::failed, "a later message")})),
      40, 100);
  const std::string text = text_of(screen);
  EXPECT_EQ(screen.front().text, "Exercise 9.1 — first");
  EXPECT_NE(text.find("passed      A.a"), std::string::npos) << text;
  EXPECT_NE(text.find("not started A.b"), std::string::npos) << text;
  EXPECT_NE(text.find("A.b says:\n    exercise 9.1: not implemented yet"), std::string::npos)
      << text;
  EXPECT_EQ(text.find("a later message"), std::string::npos) << "only the first message";
  EXPECT_NE(text.find("points: 2 / 6 · 1 of 3 tests pass"), std::string::npos) << text;
  EXPECT_EQ(screen.back().text, "press h for the hint, n for the next exercise, q to quit");
}

TEST(WatchScreen, FitsTheTerminalCuttingTheCompilerOutputFirst) {
  grader::WatchView view = view_of(graded({}));
  view.graded.reset();
  std::string errors;
  for (int line = 1; line <= 100; ++line) {
    errors += "chapters/09_fake/first.cpp:" + std::to_string(line) +
              ": error: a long message that goes on and on past the edge of a narrow terminal\n";
  }
  view.compile_errors = errors;
  view.max_points = 6;
  view.hint = "Hint (1 of 2: h for the next)\nCall first() before second().";
  const auto screen = grader::watch_screen(view, 20, 50);
  const std::string text = text_of(screen);
  EXPECT_EQ(screen.size(), 20U) << text;
  for (const auto& line : screen) {
    const auto characters = std::count_if(line.text.begin(), line.text.end(), [](char c) {
      return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    });
    EXPECT_LE(characters, 50) << line.text;
  }
  EXPECT_NE(text.find("does not compile; the compiler says:"), std::string::npos) << text;
  EXPECT_NE(text.find("first.cpp:1: error"), std::string::npos) << text;
  EXPECT_NE(text.find("more lines)"), std::string::npos) << text;
  EXPECT_NE(text.find("points: 0 / 6"), std::string::npos) << text;
  EXPECT_NE(text.find("Call first() before second()."), std::string::npos)
      << "the hint keeps its room: " << text;
  EXPECT_TRUE(screen.back().text.starts_with("press h for the hint, n for the next")) << text;
}

TEST(WatchScreen, KeepsEscapeSequencesFromTestsOffTheTerminal) {
  const auto screen = grader::watch_screen(
      view_of(graded({result("A.a", Verdict::failed, "\033[2Jcleared?")})), 40, 100);
  for (const auto& line : screen) {
    EXPECT_EQ(line.text.find('\033'), std::string::npos) << line.text;
  }
}

}  // namespace
