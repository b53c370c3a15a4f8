// The grader, run as a teacher runs it, on a fake chapter whose tests end in every way a
// student's can (fake_tests.cpp): each gets the right verdict within its deadline, the reports
// are valid, and nothing the tests started is left running.
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <signal.h>
#include <unistd.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <course/run_process.hpp>
#include <course/temporary_folder.hpp>
#include <course/testing.hpp>

namespace {

using namespace std::chrono_literals;
using nlohmann::json;
using ::testing::HasSubstr;
using ::testing::Not;

// Seconds a test may run before the grader kills it, in these runs.
constexpr int kTestDeadline = 8;

// A folder of its own for one grading: reports, and the fake tests' state.
class Folder : public course::TemporaryFolder {
 public:
  Folder() : TemporaryFolder("grader-test") {
    // The fake tests keep their state here, and a grader that is root runs them as nobody.
    std::filesystem::permissions(path(), std::filesystem::perms::all);
  }
};

std::string read(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Runs the grader with `arguments`, the fake tests' state in `folder`; `wrapper` comes first
// (e.g. `timeout -s INT 2`).
course::ProcessResult run_grader(const Folder& folder, std::vector<std::string> arguments,
                                 std::vector<std::string> wrapper = {},
                                 std::vector<std::pair<std::string, std::string>> environment = {},
                                 std::chrono::milliseconds deadline = 300s) {
  course::ProcessRequest request;
  request.argv = std::move(wrapper);
  request.argv.push_back(GRADER);
  request.argv.insert(request.argv.end(), arguments.begin(), arguments.end());
  request.environment = {{"FAKE_STATE_DIR", folder.path().string()}, {"NO_COLOR", "1"}};
  request.environment.insert(request.environment.end(), environment.begin(), environment.end());
  request.deadline = deadline;
  request.output_limit = 1 << 20;
  return course::run_process(request);
}

// Processes still running whose environment names `folder`: the fake tests and their children.
std::vector<std::string> left_running(const Folder& folder) {
  std::vector<std::string> found;
  const std::string marker = "FAKE_STATE_DIR=" + folder.path().string();
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator("/proc", error)) {
    const std::string environment = read(entry.path() / "environ");
    if (environment.find(marker) == std::string::npos) continue;
    if (read(entry.path() / "stat").find(") Z ") != std::string::npos)
      continue;  // a zombie is dead
    found.push_back(entry.path().filename().string() + " " + read(entry.path() / "cmdline"));
  }
  return found;
}

// The fake chapter, graded once for every test of the suite.
class FakeCourse : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    course::set_deadline(240'000ms);
    folder_ = std::make_unique<Folder>();
    const auto& dir = folder_->path();
    run_ = std::make_unique<course::ProcessResult>(run_grader(
        *folder_,
        {"--build-dir", FAKE_COURSE, "--no-build", "-v", "--test-deadline",
         std::to_string(kTestDeadline), "--json", (dir / "report.json").string(), "--junit",
         (dir / "report.xml").string(), "--gradescope", (dir / "results.json").string()}));
    leftovers_ = left_running(*folder_);
    report_ = json::parse(read(dir / "report.json"), nullptr, false);
    for (const auto& test : report_["chapters"][0]["tests"]) tests_[test["name"]] = test;
  }
  static void TearDownTestSuite() { folder_.reset(); }

  static const json& test(const std::string& name) {
    static const json none = json::object();
    const auto found = tests_.find(name);
    return found == tests_.end() ? none : found->second;
  }
  static void expect_verdict(const std::string& name, const std::string& verdict,
                             const std::string& words) {
    const json& result = test(name);
    ASSERT_FALSE(result.empty()) << name << " is not in the report:\n" << run_->output;
    EXPECT_EQ(result["verdict"], verdict) << name << ": " << result["message"];
    EXPECT_THAT(result["message"].get<std::string>(), HasSubstr(words)) << name;
  }

  static inline std::unique_ptr<Folder> folder_;
  static inline std::unique_ptr<course::ProcessResult> run_;
  static inline std::vector<std::string> leftovers_;
  static inline json report_;
  static inline std::map<std::string, json> tests_;
};

TEST_F(FakeCourse, GradesEveryTestAndExitsWithZero) {
  EXPECT_EQ(run_->ending, course::Ending::exited) << run_->output;
  EXPECT_EQ(run_->exit_code, 0) << "a score was produced\n" << run_->output;
  EXPECT_EQ(tests_.size(), 20U) << run_->output;
}

TEST_F(FakeCourse, GivesEachTestItsVerdict) {
  expect_verdict("Fake.Passes", "passed", "");
  expect_verdict("Fake.Fails", "failed", "one and one make two, not three");
  expect_verdict("Fake.IsNotStarted", "not started",
                 "exercise 99.1: fake_function is not implemented yet");
  expect_verdict("Fake.Segfaults", "crashed", "SIGSEGV");
  expect_verdict("Fake.ThrowsInAThread", "crashed", "SIGABRT");
  expect_verdict("Fake.ThrowsInAThread", "crashed", "escaped from a thread");
  expect_verdict("Fake.Deadlocks", "timed out", "test Fake.Deadlocks did not finish within");
  expect_verdict("Fake.StopsItsOwnWatchdog", "timed out", "still running after");
  expect_verdict("Fake.LeavesProcessesRunning", "failed", "it left 2 processes running");
  expect_verdict("Fake.FloodsItsOutput", "failed", "the end of a flood");
  expect_verdict("Fake.NeedsTooManyCores", "skipped", "needs 100000 cores, this machine has");
  expect_verdict("Fake.PassesOnItsSecondRun", "passed", "");
  EXPECT_EQ(test("Fake.PassesOnItsSecondRun")["attempts"], 2) << "a timing test gets another run";
  expect_verdict("Fake.RecordsAFigure", "passed", "");
  EXPECT_EQ(test("Fake.RecordsAFigure")["figures"][0]["value"], "1.86×");
  expect_verdict("Fake.ForgesItsVerdict", "failed", "but the test never ended");
  expect_verdict("Fake.LeavesAChainOfSessions", "failed", "processes running");
  if (course::sanitizer() == "thread") {
    expect_verdict("Fake.Races", "failed", "ThreadSanitizer found a problem");
  } else {
    expect_verdict("Fake.Races", "passed", "");
  }
}

// With -v, a failed test that recorded spans writes their trace into the build tree's traces/
// (the tests' user may write there), and the scoreboard and the JSON report name it; a failed
// test without spans has none.
TEST_F(FakeCourse, NamesTheTraceOfAFailedTestThatRecordedSpans) {
  const auto traces = std::filesystem::path(FAKE_COURSE) / "traces";
  const auto file = traces / "Fake.FailsWithATimeline.json";
  expect_verdict("Fake.FailsWithATimeline", "failed", "the spans did not overlap");
  EXPECT_EQ(test("Fake.FailsWithATimeline")["attempts"], 3) << "a timing test, run again";
  EXPECT_EQ(test("Fake.FailsWithATimeline")["trace"], file.string());
  EXPECT_THAT(test("Fake.FailsWithATimeline")["message"].get<std::string>(),
              Not(HasSubstr("TRACE")))
      << "the file is named apart from the message";
  EXPECT_THAT(run_->output, HasSubstr("fake-course/traces/Fake.FailsWithATimeline.json (open it "
                                      "in ui.perfetto.dev)"));
  const json trace = json::parse(read(file), nullptr, false);
  ASSERT_FALSE(trace.is_discarded()) << read(file);
  EXPECT_EQ(trace["otherData"]["test"], "Fake.FailsWithATimeline");
  std::vector<std::string> spans;
  for (const auto& event : trace["traceEvents"]) {
    if (event["ph"] == "X") spans.push_back(event["name"]);
  }
  EXPECT_EQ(spans, std::vector<std::string>{"the only span"});
  EXPECT_FALSE(test("Fake.Fails").contains("trace")) << "no spans, no trace";
  EXPECT_FALSE(std::filesystem::exists(traces / "Fake.Fails.json"));
  EXPECT_FALSE(std::filesystem::exists(traces / "Fake.Passes.json"));
}

TEST_F(FakeCourse, ShowsWhereADeadlockedTestWaitsWhenGdbCan) {
  if (!std::filesystem::exists("/usr/bin/gdb")) GTEST_SKIP() << "gdb is not installed";
  const std::string message = test("Fake.Deadlocks")["message"];
  if (message.find("according to gdb") == std::string::npos) {
    GTEST_SKIP() << "gdb could not attach here:\n" << message;
  }
  EXPECT_THAT(message, HasSubstr("in std::thread::join(), called from test Fake.Deadlocks at "
                                 "tools/grader/tests/fake_tests.cpp:"));
}

TEST_F(FakeCourse, EndsEveryTestWithinItsDeadline) {
  for (const auto& [name, result] : tests_) {
    const double seconds = result["elapsed_ms"].get<double>() / 1000;
    // The fake tests' own deadlines (0.5 s, stretched under a sanitizer) and the grader's (8 s),
    // plus gdb's backtrace (up to 2 s) and a second for the process.
    EXPECT_LT(seconds, kTestDeadline * course::time_scale() + 11) << name;
  }
}

TEST_F(FakeCourse, LeavesNothingRunning) {
  EXPECT_TRUE(leftovers_.empty()) << "still running: " << ::testing::PrintToString(leftovers_);
}

TEST_F(FakeCourse, KeepsAFloodOutOfTheReports) {
  const std::string message = test("Fake.FloodsItsOutput")["message"];
  EXPECT_LT(message.size(), 4000U);
  EXPECT_LT(std::filesystem::file_size(folder_->path() / "report.json"), 200'000U);
  EXPECT_LT(run_->output.size(), 100'000U) << "the scoreboard, even with -v";
}

TEST_F(FakeCourse, WritesAValidGradescopeReport) {
  const json results = json::parse(read(folder_->path() / "results.json"), nullptr, false);
  ASSERT_FALSE(results.is_discarded()) << "results.json does not parse";
  double sum = 0;
  for (const auto& test : results["tests"]) {
    for (const char* field : {"name", "score", "max_score", "status", "output", "visibility"}) {
      EXPECT_TRUE(test.contains(field)) << field << " in " << test.dump();
    }
    sum += test["score"].get<double>();
  }
  EXPECT_EQ(results["tests"].size(), 20U);
  EXPECT_DOUBLE_EQ(results["score"].get<double>(), sum);
  EXPECT_TRUE(results.contains("execution_time"));
  EXPECT_THAT(results["output"].get<std::string>(), HasSubstr("chapter 99"));
  for (const auto& test : results["tests"]) {
    const std::string name = test["name"];
    if (name == "chapter 99: Fake.RecordsAFigure") {
      EXPECT_EQ(test["visibility"], "hidden");
    } else if (name == "chapter 99: Fake.FloodsItsOutput") {
      EXPECT_EQ(test["visibility"], "after_due_date");
    } else if (name == "chapter 99: Fake.NeedsTooManyCores") {
      EXPECT_EQ(test["max_score"], 0.0);
    }
  }
}

TEST_F(FakeCourse, WritesValidJunitXml) {
  const auto xml = folder_->path() / "report.xml";
  ASSERT_TRUE(std::filesystem::exists(xml));
  if (!std::filesystem::exists("/usr/bin/xmllint"))
    GTEST_SKIP() << "xmllint (libxml2-utils) is not installed";
  const auto check = course::run_process({{"xmllint", "--noout", xml.string()}, {}, 30s});
  EXPECT_EQ(check.exit_code, 0) << check.output;
  EXPECT_THAT(read(xml), HasSubstr("<testsuite name=\"chapter99\" tests=\"20\""));
}

TEST_F(FakeCourse, PrintsTheScoreboard) {
  // 1 + 1 + 2 + 0.5 + 1 (the chain of sessions) + 1 (the grader killer, here harmless), and 1
  // for Fake.Races but under ThreadSanitizer, of 23.5 less 3 skipped; the forged verdict and the
  // false skip get nothing.
  const std::string score = course::sanitizer() == "thread" ? "6.5" : "7.5";
  EXPECT_THAT(run_->output, HasSubstr(score + " / 20.5"));
  EXPECT_THAT(run_->output, HasSubstr("chapter 99"));
  EXPECT_THAT(run_->output, HasSubstr("(3 points skipped here, for the reasons -v shows)"));
  EXPECT_THAT(run_->output, HasSubstr("next: exercise 99.1"));
}

// Ctrl-C in the middle: what was graded is written, and nothing is left running.
TEST(Interrupted, WritesWhatItGradedAndLeavesNothingRunning) {
  course::set_deadline(120'000ms);
  const Folder folder;
  const auto report = folder.path() / "report.json";
  // SIGINT after 2 s: during Fake.Deadlocks or Fake.StopsItsOwnWatchdog.
  const auto run = run_grader(folder,
                              {"--build-dir", FAKE_COURSE, "--no-build", "--test-deadline",
                               std::to_string(kTestDeadline), "--json", report.string()},
                              {"timeout", "--preserve-status", "-s", "INT", "2"});
  EXPECT_EQ(run.exit_code, 130) << run.output;
  EXPECT_THAT(run.output, HasSubstr("Interrupted"));
  const json written = json::parse(read(report), nullptr, false);
  ASSERT_FALSE(written.is_discarded()) << "the report does not parse";
  EXPECT_EQ(written["interrupted"], true);
  const auto graded = written["chapters"][0]["tests"].size();
  EXPECT_GE(graded, 1U);
  EXPECT_LT(graded, 20U);
  EXPECT_TRUE(left_running(folder).empty()) << ::testing::PrintToString(left_running(folder));
}

TEST(Checks, TheRubricCheckNamesWhatDoesNotMatch) {
  const Folder folder;
  const auto run = run_grader(folder, {"--build-dir", MISMATCHED_COURSE, "--check-rubric"});
  EXPECT_EQ(run.exit_code, 1) << run.output;
  EXPECT_THAT(run.output, HasSubstr("lists Fake.Vanished, which is not a test of chapter 99"));
  EXPECT_THAT(run.output, HasSubstr("chapter 99: test Fake.Fails has no entry in"));
  const auto good = run_grader(folder, {"--build-dir", FAKE_COURSE, "--check-rubric"});
  EXPECT_EQ(good.exit_code, 0) << good.output;
}

TEST(Checks, ATestTheProgramLacksIsMissing) {
  const Folder folder;
  const auto report = folder.path() / "report.json";
  const auto run = run_grader(
      folder, {"--build-dir", MISMATCHED_COURSE, "--no-build", "--json", report.string()});
  EXPECT_EQ(run.exit_code, 0) << run.output;
  const json written = json::parse(read(report));
  EXPECT_EQ(written["chapters"][0]["tests"][1]["verdict"], "missing");
}

TEST(Checks, RequireFullFailsBelowFullMarks) {
  const Folder folder;
  const auto run =
      run_grader(folder, {"--build-dir", MISMATCHED_COURSE, "--no-build", "--require-full"});
  EXPECT_EQ(run.exit_code, 1) << run.output;
}

// tools/mutants grades one exercise's tests alone (--first N.M --only-first), from a program of
// that exercise's tests (--program): the tests left out are not in the maximum either.
TEST(Checks, OnlyTheFirstExercisesTestsAreGradedAndCount) {
  const Folder folder;
  const auto report = folder.path() / "report.json";
  const auto run =
      run_grader(folder, {"--build-dir", PARTIAL_COURSE, "--no-build", "--first", "99.1",
                          "--only-first", "--require-full", "--json", report.string()});
  EXPECT_EQ(run.exit_code, 0) << run.output;
  const json written = json::parse(read(report));
  ASSERT_EQ(written["chapters"][0]["tests"].size(), 1U) << run.output;
  EXPECT_EQ(written["chapters"][0]["tests"][0]["name"], "Fake.Passes");
  const auto all = run_grader(
      folder, {"--build-dir", PARTIAL_COURSE, "--no-build", "--first", "99.1", "--require-full"});
  EXPECT_EQ(all.exit_code, 1) << "without --only-first, 99.2 fails: " << all.output;
}

TEST(Checks, AProgramThatLacksATestToGradeIsAnError) {
  const Folder folder;
  const auto run = run_grader(folder, {"--build-dir", MISMATCHED_COURSE, "--no-build", "--first",
                                       "99.1", "--only-first", "--program", FAKE_TESTS, "99"});
  EXPECT_EQ(run.exit_code, 2) << run.output;
  EXPECT_THAT(run.output, HasSubstr("has no test Fake.Vanished (exercise 99.1)"));
  const auto good = run_grader(folder, {"--build-dir", PARTIAL_COURSE, "--no-build", "--first",
                                        "99.1", "--only-first", "--program", FAKE_TESTS, "99"});
  EXPECT_EQ(good.exit_code, 0) << good.output;
}

// An exercise file that #defines `private`, or a gtest macro, would change what the tests check:
// the chapter is not graded, and the report says where.
TEST(Checks, AnExerciseFileThatRedefinesWhatTheTestsStandOnIsRefused) {
  const Folder folder;
  const auto report = folder.path() / "report.json";
  const auto run =
      run_grader(folder, {"--build-dir", MACROS_COURSE, "--no-build", "--json", report.string()});
  EXPECT_EQ(run.exit_code, 0) << run.output;
  EXPECT_THAT(run.output,
              HasSubstr("fixtures/99_macros/cheat.hpp:5: #define private — a C++ keyword"));
  EXPECT_THAT(run.output, HasSubstr("cheat.hpp:6: #undef EXPECT_EQ — a name of gtest's"));
  EXPECT_THAT(run.output, HasSubstr("cheat.hpp:7: #define EXPECT_EQ"));
  EXPECT_THAT(run.output, Not(HasSubstr("SAFE_NAME")));
  EXPECT_THAT(run.output, Not(HasSubstr("ANSWER")));
  const json written = json::parse(read(report));
  for (const auto& test : written["chapters"][0]["tests"]) {
    EXPECT_EQ(test["verdict"], "not built") << test.dump();
    EXPECT_EQ(test["score"], 0) << test.dump();
  }
}

// A grader killed in the middle of a grading (here by its deadline, while a test sleeps): the
// Gradescope report left behind says the grading is incomplete, with no score — not an older
// one, not a full one, not one a test wrote.
TEST(Checks, AGraderKilledInTheMiddleLeavesAReportThatSaysIncomplete) {
  const Folder folder;
  const auto results = folder.path() / "results.json";
  {
    std::ofstream old(results);
    old << R"({"score": 999, "output": "an older run's, or one a test wrote", "tests": []})";
  }
  const auto run = run_grader(
      folder, {"--build-dir", KILLER_COURSE, "--no-build", "--gradescope", results.string()}, {},
      {{"FAKE_KILL_GRADER", "1"}}, 3s);
  EXPECT_NE(run.ending, course::Ending::exited) << run.output;
  const json written = json::parse(read(results), nullptr, false);
  ASSERT_FALSE(written.is_discarded()) << read(results);
  EXPECT_EQ(written["score"], 0) << written.dump();
  EXPECT_THAT(written["output"].get<std::string>(), HasSubstr("Grading incomplete"));
}

// A test that tries to kill the grader (kill(getppid(), SIGKILL)): as root, the grader runs it as
// nobody in a PID namespace of its own, where its parent is the sandbox's init, and the grader
// is out of its reach: the grading goes on, and the test fails.
TEST(Checks, ATestCannotKillTheGraderWhenTheGraderIsRoot) {
  if (::geteuid() != 0) {
    GTEST_SKIP() << "not root: the tests run as the grader's own user, who may signal it";
  }
  course::set_deadline(30s);  // the test lingers 5 s after its try
  const Folder folder;
  const auto report = folder.path() / "report.json";
  const auto run = run_grader(
      folder, {"--build-dir", KILLER_COURSE, "--no-build", "-v", "--json", report.string()}, {},
      {{"FAKE_KILL_GRADER", "1"}});
  if (run.output.find("as user nobody") == std::string::npos) {
    GTEST_SKIP() << "the grader could not run the tests as nobody here:\n" << run.output;
  }
  EXPECT_EQ(run.ending, course::Ending::exited) << run.output;
  const json written = json::parse(read(report), nullptr, false);
  ASSERT_FALSE(written.is_discarded()) << read(report);
  const auto& tests = written["chapters"][0]["tests"];
  ASSERT_EQ(tests.size(), 2U) << written.dump();
  EXPECT_EQ(tests[1]["name"], "Fake.KillsTheGrader");
  EXPECT_EQ(tests[1]["verdict"], "failed") << tests[1].dump();
  EXPECT_THAT(tests[1]["message"].get<std::string>(), HasSubstr("Operation not permitted"));
}

// What a test program may do: as root, the grader runs it as nobody, who cannot write the sources,
// the rubric or the build tree (as a plain user, the tests run as that user); limits hold either
// way.
TEST(Checks, ATestProgramRunsWithLessPowerThanTheGrader) {
  const Folder folder;
  const auto report = folder.path() / "report.json";
  const auto run = run_grader(
      folder, {"--build-dir", CONFINED_COURSE, "--no-build", "-v", "--json", report.string()}, {},
      {{"FAKE_TRY_FORBIDDEN", "1"}});
  const json written = json::parse(read(report), nullptr, false);
  ASSERT_FALSE(written.is_discarded()) << run.output;
  const auto& tests = written["chapters"][0]["tests"];
  ASSERT_EQ(tests.size(), 2U) << written.dump();
  EXPECT_EQ(tests[1]["name"], "Fake.RunsUnderLimits");
  EXPECT_EQ(tests[1]["verdict"], "passed") << tests[1].dump();
  EXPECT_EQ(tests[0]["name"], "Fake.CannotWriteTheCourse");
  if (run.output.find("as user nobody") != std::string::npos) {
    EXPECT_EQ(tests[0]["verdict"], "passed") << tests[0].dump();
  } else if (::geteuid() == 0) {
    // Where root cannot hand a test to nobody, the grader must say why.
    EXPECT_THAT(run.output, HasSubstr("not in force")) << run.output;
    EXPECT_EQ(tests[0]["verdict"], "failed") << tests[0].dump();
  }  // (a plain user's tests write what that user may write: it depends on who owns the course)
}

// A student half-way through an exercise, with a syntax error in it: the chapter does not compile,
// but each exercise's tests are built as a program of their own, and those that compile are
// graded (rustlings builds each exercise alone).
TEST(Checks, AnExerciseThatDoesNotCompileCostsThatExerciseOnly) {
  course::set_deadline(240s);  // it builds three small programs
  const Folder folder;
  const auto report = folder.path() / "report.json";
  const auto run =
      run_grader(folder, {"--build-dir", BROKEN_COURSE, "-v", "--json", report.string()});
  EXPECT_EQ(run.exit_code, 0) << run.output;
  EXPECT_THAT(run.output, HasSubstr("does_not_compile.cpp:6"));
  EXPECT_THAT(run.output, HasSubstr("graded alone, the exercises whose tests compile without the "
                                    "rest: 99.1"));
  const json written = json::parse(read(report), nullptr, false);
  ASSERT_FALSE(written.is_discarded()) << run.output;
  const auto& chapter = written["chapters"][0];
  EXPECT_EQ(chapter["built"], false);
  EXPECT_EQ(chapter["exercises_built_alone"], json::array({"99.1"}));
  ASSERT_EQ(chapter["tests"].size(), 2U) << chapter.dump();
  EXPECT_EQ(chapter["tests"][0]["verdict"], "passed") << chapter.dump();
  EXPECT_EQ(chapter["tests"][1]["verdict"], "not built") << chapter.dump();
  EXPECT_THAT(chapter["tests"][1]["message"].get<std::string>(),
              HasSubstr("this exercise does not compile"));
  EXPECT_EQ(chapter["score"], 1);
}

TEST(Checks, ExplainsWhatIsNotABuildTree) {
  const Folder folder;
  const auto run = run_grader(folder, {"--build-dir", folder.path().string()});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_THAT(run.output, HasSubstr("is not a configured build tree"));
}

}  // namespace
