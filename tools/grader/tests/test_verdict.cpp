// judge(): what a test's run means, from its exit and its output.
#include <regex>
#include <string>

#include <signal.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "verdict.hpp"

namespace {

using grader::Ending;
using grader::ProcessResult;
using grader::Verdict;
using ::testing::HasSubstr;
using ::testing::Not;

// A run that ended with `code`, printed `output` and reported `results` on its result channel.
ProcessResult exited(int code, std::string output, std::string results = "") {
  ProcessResult run;
  run.ending = Ending::exited;
  run.exit_code = code;
  run.output = std::move(output);
  run.results = std::move(results);
  return run;
}

constexpr const char* kPassed = "start Suite.Name\nend Suite.Name passed\n";

grader::Outcome judge(const ProcessResult& run) {
  return grader::judge(run, "Suite.Name", "/src/course");
}

constexpr std::string_view kRun = "[==========] Running 1 test\n[ RUN      ] Suite.Name\n";

TEST(Judge, PassedWhenTheTestProgramReportsItPassed) {
  const auto outcome =
      judge(exited(0, std::string(kRun) + "[       OK ] Suite.Name (3 ms)\n", kPassed));
  EXPECT_EQ(outcome.verdict, Verdict::passed);
  EXPECT_EQ(outcome.message, "");
}

// A student's code prints gtest's lines itself and ends the program: the text says OK, the
// result channel says nothing (or that the test started, and never ended).
TEST(Judge, AnOkThatOnlyTheOutputSaysIsAForgery) {
  for (const char* results : {"", "start Suite.Name\n"}) {
    const auto outcome =
        judge(exited(0, std::string(kRun) + "[       OK ] Suite.Name (3 ms)\n", results));
    EXPECT_EQ(outcome.verdict, Verdict::failed) << results;
    EXPECT_THAT(outcome.message, HasSubstr("but the test never ended")) << results;
  }
  const auto skipped = judge(exited(0, std::string(kRun) + "[  SKIPPED ] Suite.Name (0 ms)\n"));
  EXPECT_EQ(skipped.verdict, Verdict::failed) << "a printed skip takes no points out either";
  const auto other = judge(exited(0, std::string(kRun) + "[       OK ] Suite.Name (3 ms)\n",
                                  "start Suite.Name\nend Suite.Name failed\n"));
  EXPECT_EQ(other.verdict, Verdict::failed);
  EXPECT_THAT(other.message, HasSubstr("but gtest reported it failed"));
}

TEST(Judge, FailedWithTheFirstFailedAssertion) {
  const auto outcome = judge(
      exited(1, std::string(kRun) + "/src/course/tests/01_sync/test_a.cpp:10: Failure\n"
                                    "Expected equality of these values:\n  1\n  2\nthe hint\n"
                                    "/src/course/tests/01_sync/test_a.cpp:12: Failure\nsecond\n"
                                    "[  FAILED  ] Suite.Name (1 ms)\n"));
  EXPECT_EQ(outcome.verdict, Verdict::failed);
  EXPECT_EQ(outcome.message,
            "tests/01_sync/test_a.cpp:10: Failure\nExpected equality of these values:\n  1\n  "
            "2\nthe hint");
}

TEST(Judge, DoesNotTakeALongerNameForTheTest) {
  const auto outcome = judge(exited(0,
                                    "[ RUN      ] Suite.Name\n[       OK ] Suite.NameToo (1 ms)\n[ "
                                    "      OK ] Suite.Name (1 ms)\n",
                                    "start Suite.NameToo\nend Suite.NameToo passed\n"
                                    "start Suite.Name\nend Suite.Name passed\n"));
  EXPECT_EQ(outcome.verdict, Verdict::passed);
}

TEST(Judge, NotStartedWhenTheExerciseIsNotImplemented) {
  const auto outcome = judge(exited(
      1, std::string(kRun) + "[not implemented] exercise 1.3: fetch_all is not implemented yet\n"
                             "unknown file: Failure\n[  FAILED  ] Suite.Name (0 ms)\n"));
  EXPECT_EQ(outcome.verdict, Verdict::not_started);
  EXPECT_EQ(outcome.message, "exercise 1.3: fetch_all is not implemented yet");
}

TEST(Judge, NotStartedWhenTheTestCapturedStderrButGtestNamedTheException) {
  const auto outcome = judge(exited(
      1, std::string(kRun) +
             "unknown file: Failure\nC++ exception with description \"exercise 7.1: Task is not "
             "implemented yet — see chapters/07_coroutines/README.md\" thrown in the test body.\n"
             "[  FAILED  ] Suite.Name (0 ms)\n"));
  EXPECT_EQ(outcome.verdict, Verdict::not_started);
  EXPECT_EQ(outcome.message,
            "exercise 7.1: Task is not implemented yet — see chapters/07_coroutines/README.md");
}

TEST(Judge, NotStartedEvenWhenTheMissingPieceCrashedIt) {
  ProcessResult run = exited(
      0, std::string(kRun) + "[not implemented] exercise 2.1: run_all is not implemented yet\n");
  run.ending = Ending::killed_by_signal;
  run.signal = SIGABRT;
  EXPECT_EQ(judge(run).verdict, Verdict::not_started);
}

TEST(Judge, SkippedWithTheReason) {
  const auto outcome = judge(exited(
      0,
      std::string(kRun) + "/src/course/tests/02/test.cpp:5: Skipped\n"
                          "needs 4 cores, this machine has 2\n\n[  SKIPPED ] Suite.Name (0 ms)\n",
      "start Suite.Name\nend Suite.Name skipped\n"));
  EXPECT_EQ(outcome.verdict, Verdict::skipped);
  EXPECT_EQ(outcome.message, "needs 4 cores, this machine has 2");
}

TEST(Judge, TimedOutByItsOwnDeadline) {
  const auto outcome = judge(exited(
      124, std::string(kRun) + "[  DEADLINE ] test Suite.Name did not finish within 5.00 s.\n"
                               "[  DEADLINE ] Where each thread is, according to gdb:\n"
                               "[  DEADLINE ]   thread 1: in std::thread::join()\n"
                               "a note from the test\n"));
  EXPECT_EQ(outcome.verdict, Verdict::timed_out);
  EXPECT_EQ(
      outcome.message,
      "test Suite.Name did not finish within 5.00 s.\nWhere each thread is, according to gdb:\n"
      "  thread 1: in std::thread::join()\na note from the test");
}

TEST(Judge, TimedOutWhenADeadlinePassedThoughTheTestSaidOk) {
  // The race the support library now prevents: killing the children let the test finish.
  const auto outcome = judge(
      exited(0, std::string(kRun) + "[  DEADLINE ] test Suite.Name did not finish within 5.00 s.\n"
                                    "[       OK ] Suite.Name (5003 ms)\n"));
  EXPECT_EQ(outcome.verdict, Verdict::timed_out);
  EXPECT_THAT(outcome.message, HasSubstr("did not finish within 5.00 s"));
}

TEST(Judge, FailedWhenAChildEscapedIntoTheTest) {
  const std::string child =
      "[  ESCAPED ] process 12, a child, returned into the test.\n"
      "[  ESCAPED ] It went on running the test's own code.\n"
      "[  ESCAPED ] A child must end with _exit(code).\n";
  const auto outcome = judge(exited(
      125, std::string(kRun) + "/src/course/tests/04/test.cpp:9: Failure\nthe child's assertion\n" +
               child + std::regex_replace(child, std::regex("12"), "13") +
               "[  ESCAPED ] test Suite.Name fails: 2 child processes (12, 13) returned into it "
               "instead of ending with _exit.\n"));
  EXPECT_EQ(outcome.verdict, Verdict::failed);
  EXPECT_EQ(outcome.message,
            "process 12, a child, returned into the test.\nIt went on running the test's own "
            "code.\nA child must end with _exit(code).\ntest Suite.Name fails: 2 child processes "
            "(12, 13) returned into it instead of ending with _exit.")
      << "the first child's explanation and the verdict; the grandchild's repeat is left out";
}

TEST(Judge, TimedOutByTheGrader) {
  ProcessResult run = exited(0, std::string(kRun));
  run.ending = Ending::timed_out;
  run.elapsed = std::chrono::milliseconds(8000);
  const auto outcome = judge(run);
  EXPECT_EQ(outcome.verdict, Verdict::timed_out);
  EXPECT_THAT(outcome.message, HasSubstr("still running after 8.0 s"));
}

// A deadline that began its report and was then stopped (once, by gdb and a full pipe): the
// grader's backstop ends the test, and what the deadline said is still shown.
TEST(Judge, TimedOutByTheGraderShowsWhatTheDeadlineHadSaid) {
  ProcessResult run = exited(0, std::string(kRun) +
                                    "[  DEADLINE ] test Suite.Name did not finish within 5.00 s.\n"
                                    "[  DEADLINE ] Where each thread is, according to gdb:\n");
  run.ending = Ending::timed_out;
  run.elapsed = std::chrono::milliseconds(36000);
  const auto outcome = judge(run);
  EXPECT_EQ(outcome.verdict, Verdict::timed_out);
  EXPECT_THAT(outcome.message,
              HasSubstr("still running after 36.0 s, so the grader stopped it (and everything it "
                        "started)\nIts own deadline had said:\ntest Suite.Name did not finish "
                        "within 5.00 s.\nWhere each thread is"));
}

TEST(Judge, CrashedWithTheSignalsNameAndTheLastWords) {
  ProcessResult run =
      exited(0, std::string(kRun) + "terminate called after throwing an instance of 'int'\n");
  run.ending = Ending::killed_by_signal;
  run.signal = SIGABRT;
  const auto outcome = judge(run);
  EXPECT_EQ(outcome.verdict, Verdict::crashed);
  EXPECT_THAT(outcome.message, HasSubstr("crashed with SIGABRT"));
  EXPECT_THAT(outcome.message, HasSubstr("terminate called after throwing"));
}

TEST(Judge, CrashedWithTheTestsCrashNoteInPlaceOfTheSignalsMeaning) {
  ProcessResult run = exited(0, std::string(kRun) +
                                    "free(): double free detected in tcache 2\n"
                                    "[  CRASHED ] two owners both decided they were the last\n");
  run.ending = Ending::killed_by_signal;
  run.signal = SIGABRT;
  const auto outcome = judge(run);
  EXPECT_EQ(outcome.verdict, Verdict::crashed);
  EXPECT_EQ(outcome.message,
            "crashed with SIGABRT — two owners both decided they were the last\n"
            "free(): double free detected in tcache 2");
}

TEST(Judge, FailedWithTheSanitizersReport) {
  const auto outcome =
      judge(exited(66, std::string(kRun) + "==================\n"
                                           "WARNING: ThreadSanitizer: data race (pid=1)\n"
                                           "  Write of size 4 at 0x1 by thread T2:\n"
                                           "    #0 add /src/course/solutions/02/counter.cpp:9\n"
                                           "[       OK ] Suite.Name (5 ms)\n"));
  EXPECT_EQ(outcome.verdict, Verdict::failed)
      << "a race fails the test even when its assertions passed";
  EXPECT_THAT(outcome.message, HasSubstr("ThreadSanitizer found a problem"));
  EXPECT_THAT(outcome.message, HasSubstr("data race"));
  EXPECT_THAT(outcome.message, HasSubstr("#0 add solutions/02/counter.cpp:9"));
}

TEST(Judge, CrashedWhenASanitizerCaughtTheSignal) {
  const auto outcome =
      judge(exited(1, std::string(kRun) +
                          "AddressSanitizer:DEADLYSIGNAL\n"
                          "==1==ERROR: AddressSanitizer: SEGV on unknown address 0x0 (pc 0x1 T0)\n"
                          "    #0 0x1 in f() /src/course/chapters/02/a.cpp:3:5\n"));
  EXPECT_EQ(outcome.verdict, Verdict::crashed);
  EXPECT_THAT(outcome.message, HasSubstr("crashed with SIGSEGV"));
  EXPECT_THAT(outcome.message, HasSubstr("#0 0x1 in f() chapters/02/a.cpp:3:5"));
}

TEST(Judge, MissingWhenTheProgramHasNoSuchTest) {
  const auto outcome =
      judge(exited(0, "[==========] 0 tests from 0 test suites ran.\n[  PASSED  ] 0 tests.\n"));
  EXPECT_EQ(outcome.verdict, Verdict::missing);
  EXPECT_THAT(outcome.message, HasSubstr("no test Suite.Name"));
}

// On a busy machine a timing test records what it measured as "not judged" and ends well: that
// earns nothing by itself — it is pending, graded again at the end.
TEST(Judge, PendingWhenAFigureCouldNotBeJudged) {
  const auto outcome = judge(exited(
      0,
      std::string(kRun) + "[   FIGURE ] speedup = 1.05× (not judged: other processes kept 1.0 of 2 "
                          "cores busy)\n[       OK ] Suite.Name (70 ms)\n",
      kPassed));
  EXPECT_EQ(outcome.verdict, Verdict::pending);
  EXPECT_THAT(outcome.message, HasSubstr("speedup 1.05× was not judged: other processes kept"));
}

TEST(Judge, ReadsTheFiguresAndNotesLeftovers) {
  ProcessResult run =
      exited(0,
             std::string(kRun) +
                 "[   FIGURE ] speedup = 1.86× (needs ≥ 1.25× on 2 cores)\n"
                 "[   FIGURE ] elapsed = 61.2 ms\n[       OK ] Suite.Name (70 ms)\n",
             kPassed);
  const auto outcome = judge(run);
  EXPECT_EQ(outcome.verdict, Verdict::passed);
  ASSERT_EQ(outcome.figures.size(), 2U);
  EXPECT_EQ(outcome.figures[0].name, "speedup");
  EXPECT_EQ(outcome.figures[0].value, "1.86×");
  EXPECT_EQ(outcome.figures[0].note, "needs ≥ 1.25× on 2 cores");
  EXPECT_EQ(outcome.figures[0].text(), "speedup 1.86× (needs ≥ 1.25× on 2 cores)");
  EXPECT_EQ(outcome.figures[1].note, "");
  EXPECT_EQ(outcome.message, "");
}

// What a test leaves running would run on beside the next test: the test fails, even if it
// passed, and not for a noisy moment (no second run).
TEST(Judge, FailedWhenItLeftProcessesRunning) {
  ProcessResult run = exited(0, std::string(kRun) + "[       OK ] Suite.Name (70 ms)\n", kPassed);
  run.leftovers_killed = 2;
  const auto outcome = judge(run);
  EXPECT_EQ(outcome.verdict, Verdict::failed);
  EXPECT_FALSE(outcome.retryable);
  EXPECT_EQ(outcome.message, "it left 2 processes running — the grader killed them");
}

// In the sandbox's PID namespace, its init names what was left, in a line on the result channel
// written after the program ended: the last such line counts, not one the program wrote.
TEST(Judge, NamesWhatItLeftRunningInTheSandbox) {
  ProcessResult run = exited(0, std::string(kRun) + "[       OK ] Suite.Name (70 ms)\n",
                             std::string(kPassed) +
                                 "sandbox: left 0: \n\nsandbox: left 2: "
                                 "sleep (5), worker (6)\n");
  const auto outcome = judge(run);
  EXPECT_EQ(outcome.verdict, Verdict::failed);
  EXPECT_EQ(outcome.message,
            "it left 2 processes running: sleep (5), worker (6) — the grader killed them");
  run.results = std::string(kPassed) + "\nsandbox: left 0: \n";
  EXPECT_EQ(judge(run).verdict, Verdict::passed);
}

TEST(Judge, CutsALongMessage) {
  std::string output = std::string(kRun) + "/src/a.cpp:1: Failure\n";
  for (int i = 0; i < 100; ++i) output += std::string(1000, 'y') + "\n";
  const auto outcome = judge(exited(1, output + "[  FAILED  ] Suite.Name (1 ms)\n"));
  EXPECT_LT(outcome.message.size(), 4000U);
  EXPECT_THAT(outcome.message, HasSubstr("more lines"));
}

TEST(CompilerMessages, KeepTheCompilersWordsOnly) {
  const std::string build =
      "[0/2] Re-checking globbed directories...\n"
      "[1/10] Building CXX object CMakeFiles/x.dir/chapters/01_sync/users.cpp.o\n"
      "FAILED: CMakeFiles/x.dir/chapters/01_sync/users.cpp.o \n"
      "/usr/bin/c++ -I/src/course/chapters -c /src/course/chapters/01_sync/users.cpp\n"
      "/src/course/chapters/01_sync/users.cpp:11:14: error: expected ';' before '}' token\n"
      "   11 |   return User{}\n"
      "ninja: build stopped: subcommand failed.\n";
  EXPECT_EQ(grader::compiler_messages(build, "/src/course"),
            "chapters/01_sync/users.cpp:11:14: error: expected ';' before '}' token\n   11 |   "
            "return User{}");
}

}  // namespace
