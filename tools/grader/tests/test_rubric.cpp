// read_rubric(): what a teacher writes, read back, and every mistake named with its line.
#include <filesystem>
#include <fstream>
#include <string>

#include <unistd.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "rubric.hpp"

namespace {

using ::testing::HasSubstr;

// A rubric file in a folder of its own, removed afterwards.
class RubricFile {
 public:
  explicit RubricFile(const std::string& text) {
    std::string pattern = (std::filesystem::temp_directory_path() / "rubric-XXXXXX").string();
    folder_ = ::mkdtemp(pattern.data());
    std::ofstream(path()) << text;
  }
  RubricFile(const RubricFile&) = delete;
  RubricFile& operator=(const RubricFile&) = delete;
  ~RubricFile() { std::filesystem::remove_all(folder_); }
  [[nodiscard]] std::filesystem::path path() const { return folder_ / "rubric.toml"; }

 private:
  std::filesystem::path folder_;
};

constexpr std::string_view kGood = R"(chapter = 2
title = "Threads"

[[exercise]]
id = "2.1"
title = "start all, then join all"
visibility = "after_due_date"
tests = [
  { name = "RunAll.Overlaps", points = 3, timing = true },
  { name = "RunAll.KeepsOrder", points = 1.5, visibility = "hidden" },
]

[[exercise]]
id = "2.2"
title = "completion order"
tests = [ { name = "Order.FollowsDelays", points = 2 } ]
)";

std::string error_of(const std::string& text) {
  const RubricFile file(text);
  try {
    (void)grader::read_rubric(file.path());
  } catch (const std::exception& error) {
    return error.what();
  }
  return "(no error)";
}

// kGood with one piece replaced.
std::string good_but(std::string_view from, std::string_view to) {
  std::string text(kGood);
  text.replace(text.find(from), from.size(), to);
  return text;
}

TEST(Rubric, ReadsExercisesTestsAndPoints) {
  const RubricFile file{std::string(kGood)};
  const auto rubric = grader::read_rubric(file.path());
  EXPECT_EQ(rubric.chapter, 2);
  EXPECT_EQ(rubric.title, "Threads");
  ASSERT_EQ(rubric.exercises.size(), 2U);
  EXPECT_EQ(rubric.exercises[0].id, "2.1");
  ASSERT_EQ(rubric.exercises[0].tests.size(), 2U);
  const auto& overlaps = rubric.exercises[0].tests[0];
  EXPECT_EQ(overlaps.name, "RunAll.Overlaps");
  EXPECT_EQ(overlaps.exercise, "2.1");
  EXPECT_EQ(overlaps.points, 3);
  EXPECT_TRUE(overlaps.timing);
  EXPECT_EQ(overlaps.visibility, "after_due_date") << "from the exercise";
  EXPECT_EQ(rubric.exercises[0].tests[1].visibility, "hidden") << "the test's own";
  EXPECT_FALSE(rubric.exercises[1].tests[0].timing) << "not timing unless said";
  EXPECT_EQ(rubric.exercises[1].tests[0].visibility, "visible") << "visible unless said";
  EXPECT_DOUBLE_EQ(rubric.max_points(), 6.5);
  EXPECT_EQ(rubric.tests().size(), 3U);
}

TEST(Rubric, NamesTheFileAndLineOfEachMistake) {
  EXPECT_THAT(error_of(good_but("points = 3", "points = -3")),
              HasSubstr("rubric.toml:9: test RunAll.Overlaps has negative points"));
  EXPECT_THAT(error_of(good_but("points = 3", "points = \"three\"")),
              HasSubstr("'points' must be a number"));
  EXPECT_THAT(
      error_of(good_but("\"hidden\"", "\"secret\"")),
      HasSubstr(
          "visibility 'secret' is not one of visible, hidden, after_due_date, after_published"));
  EXPECT_THAT(error_of(good_but("Order.FollowsDelays", "RunAll.Overlaps")),
              HasSubstr("test RunAll.Overlaps is listed twice"));
  EXPECT_THAT(error_of(good_but("Order.FollowsDelays", "FollowsDelays")),
              HasSubstr("must be named Suite.Test"));
  EXPECT_THAT(error_of(good_but("id = \"2.2\"", "id = \"2.1\"")),
              HasSubstr("exercise 2.1 is listed twice"));
  EXPECT_THAT(error_of(good_but("chapter = 2\n", "")), HasSubstr("'chapter' is missing"));
  EXPECT_THAT(error_of(good_but("tests = [ { name", "tests = [ { nam")),
              HasSubstr("'name' is missing"));
  EXPECT_THAT(error_of(good_but("title = \"Threads\"", "title = Threads")),
              HasSubstr("rubric.toml:2:"))
      << "a TOML syntax error, with its line";
  EXPECT_THAT(error_of("chapter = 1\ntitle = \"x\"\n"), HasSubstr("no [[exercise]] is listed"));
}

TEST(Rubric, SaysWhenTheFileIsMissing) {
  EXPECT_THROW((void)grader::read_rubric("/nonexistent/rubric.toml"), std::runtime_error);
}

}  // namespace
