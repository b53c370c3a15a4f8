// The reports: the grader's JSON, Gradescope's results.json and JUnit XML, from a run made by
// hand.
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "reports.hpp"

namespace {

using grader::Verdict;
using nlohmann::json;
using ::testing::HasSubstr;

grader::TestResult result(std::string name, double points, Verdict verdict,
                          std::string message = "") {
  grader::TestResult test;
  test.test.name = std::move(name);
  test.test.exercise = "1.1";
  test.test.points = points;
  test.outcome.verdict = verdict;
  test.outcome.message = std::move(message);
  test.outcome.elapsed = std::chrono::milliseconds(25);
  return test;
}

class Reports : public ::testing::Test {
 protected:
  Reports() {
    manifest_.source_tree = "solutions";
    manifest_.compiler = "GNU 12.2.0";
    grader::ChapterResult chapter;
    chapter.info.number = 1;
    chapter.built = true;
    chapter.rubric.title = "Sync";
    grader::Exercise exercise{"1.1", "timed", {}};
    chapter.tests = {
        result("Timed.Passes", 2, Verdict::passed),
        result("Timed.Fails", 3, Verdict::failed, "expected <1> & got \"2\"\x01\nsecond line"),
        result("Timed.Skips", 4, Verdict::skipped, "needs 4 cores, this machine has 2"),
        result("Timed.Hangs", 1, Verdict::timed_out, "did not finish")};
    chapter.tests[0].outcome.figures = {{"speedup", "1.86×", "needs ≥ 1.25× on 2 cores"}};
    for (const auto& test : chapter.tests) exercise.tests.push_back(test.test);
    chapter.rubric.exercises = {exercise};
    run_.manifest = &manifest_;
    run_.chapters = {chapter};
    run_.scoreboard = "the scoreboard\n";
    run_.complete = true;
  }

  grader::Manifest manifest_;
  grader::GradingRun run_;
};

TEST_F(Reports, JsonHoldsEveryTest) {
  const json report = json::parse(grader::json_report(run_));
  EXPECT_EQ(report["score"], 2.0);
  EXPECT_EQ(report["max_score"], 6.0) << "the skipped test's 4 points are left out";
  EXPECT_EQ(report["skipped_points"], 4.0);
  EXPECT_EQ(report["interrupted"], false);
  const auto& tests = report["chapters"][0]["tests"];
  ASSERT_EQ(tests.size(), 4U);
  EXPECT_EQ(tests[0]["verdict"], "passed");
  EXPECT_EQ(tests[0]["figures"][0]["value"], "1.86×");
  EXPECT_EQ(tests[3]["verdict"], "timed out");
}

TEST_F(Reports, GradescopeScoreIsTheSumOfItsTests) {
  const json report = json::parse(grader::gradescope_report(run_));
  double sum = 0;
  for (const auto& test : report["tests"]) {
    sum += test["score"].get<double>();
    for (const char* field :
         {"name", "number", "score", "max_score", "status", "output", "visibility"}) {
      EXPECT_TRUE(test.contains(field)) << field;
    }
  }
  EXPECT_EQ(report["score"].get<double>(), sum);
  EXPECT_EQ(report["tests"][0]["status"], "passed");
  EXPECT_EQ(report["tests"][1]["status"], "failed");
  EXPECT_EQ(report["tests"][2]["max_score"], 0.0) << "a skipped test counts neither way";
  EXPECT_EQ(report["output"], "the scoreboard\n");
  EXPECT_THAT(report["tests"][0]["output"].get<std::string>(),
              HasSubstr("speedup 1.86× (needs ≥ 1.25× on 2 cores)"));
}

TEST_F(Reports, JunitCountsAndEscapes) {
  const std::string xml = grader::junit_report(run_);
  EXPECT_THAT(xml, HasSubstr("tests=\"4\" failures=\"1\" errors=\"1\" skipped=\"1\""));
  EXPECT_THAT(xml,
              HasSubstr("<testcase classname=\"chapter1.Timed\" name=\"Fails\" time=\"0.025\">"));
  EXPECT_THAT(xml, HasSubstr("message=\"expected &lt;1&gt; &amp; got &quot;2&quot;\""))
      << "escaped, and the control character dropped";
  EXPECT_THAT(xml, HasSubstr("<error type=\"timed out\""));
}

TEST_F(Reports, InterruptedRunsSaySo) {
  run_.interrupted = true;
  EXPECT_EQ(json::parse(grader::json_report(run_))["interrupted"], true);
  EXPECT_THAT(json::parse(grader::gradescope_report(run_))["output"].get<std::string>(),
              HasSubstr("interrupted"));
}

// A grader killed while it grades — by a test, say — must leave no score that looks final.
TEST_F(Reports, ReportsWrittenBeforeTheEndSayTheGradingIsIncomplete) {
  run_.complete = false;
  EXPECT_EQ(json::parse(grader::json_report(run_))["complete"], false);
  EXPECT_THAT(json::parse(grader::gradescope_report(run_))["output"].get<std::string>(),
              HasSubstr("Grading incomplete"));
  run_.complete = true;
  EXPECT_EQ(json::parse(grader::json_report(run_))["complete"], true);
}

TEST(ValidUtf8, KeepsGoodTextAndReplacesBadBytes) {
  EXPECT_EQ(grader::valid_utf8("plain, ünïcode, ×"), "plain, ünïcode, ×");
  EXPECT_EQ(grader::valid_utf8("bad \xff byte"), "bad \xEF\xBF\xBD byte");
  EXPECT_EQ(grader::valid_utf8("cut \xE2\x80"), "cut \xEF\xBF\xBD\xEF\xBF\xBD");
}

// What a test printed can hold any bytes: the forms of UTF-8 that are not UTF-8 are replaced too.
TEST(ValidUtf8, ReplacesOverlongFormsSurrogatesAndWhatIsPastTheLastCodePoint) {
  const std::string replaced = "\xEF\xBF\xBD";
  EXPECT_EQ(grader::valid_utf8("\xC0\xAF"), replaced + replaced) << "an overlong '/'";
  EXPECT_EQ(grader::valid_utf8("\xE0\x80\xAF"), replaced + replaced + replaced);
  EXPECT_EQ(grader::valid_utf8("\xED\xA0\x80"), replaced + replaced + replaced) << "U+D800";
  EXPECT_EQ(grader::valid_utf8("\xF4\x90\x80\x80"), replaced + replaced + replaced + replaced);
  EXPECT_EQ(grader::valid_utf8("\xF0\x9F\x98\x80"), "\xF0\x9F\x98\x80") << "U+1F600 stays";
}

TEST(Printable, DropsControlCharactersButNewlinesAndTabs) {
  EXPECT_EQ(grader::printable("red \x1b[31mtext\x1b[0m\tend\n"), "red [31mtext[0m\tend\n");
  EXPECT_EQ(grader::printable("bell\x07, return\r, del\x7f, C1\xC2\x9B"), "bell, return, del, C1");
  EXPECT_EQ(grader::printable("ünïcode ×"), "ünïcode ×");
}

TEST_F(Reports, JunitHoldsOnlyWhatXmlCan) {
  run_.chapters[0].tests[1].outcome.message =
      "nonchars \xEF\xBF\xBE\xEF\xBF\xBF, overlong \xC0\xBC, "
      "surrogate \xED\xB0\x80, ok ×";
  const std::string xml = grader::junit_report(run_);
  EXPECT_THAT(xml, HasSubstr("nonchars , overlong \xEF\xBF\xBD\xEF\xBF\xBD, surrogate "
                             "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD, ok ×"));
}

}  // namespace
