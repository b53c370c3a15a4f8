// The trace a failed test writes of its spans (COURSE_TRACE_DIR): Chrome's trace-event JSON, for
// ui.perfetto.dev, of what the test's recorders saw and the timelines it drew.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <course/temporary_folder.hpp>
#include <course/testing.hpp>

#include "misbehaving.hpp"
#include "trace.hpp"

namespace {

using course::Millis;
using course::Span;
using course::detail::Recording;
using course::detail::trace_file_name;
using course::detail::trace_json;
using nlohmann::json;
using ::testing::HasSubstr;
using ::testing::Not;

using Folder = course::TemporaryFolder;

std::string read(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

Span span(const char* label, double start, double end, int thread = 0) {
  return Span{label, thread, Millis(start), Millis(end)};
}

// A trace's events of one kind ("X", "M").
std::vector<json> events(const json& trace, const std::string& phase) {
  std::vector<json> found;
  for (const auto& event : trace["traceEvents"]) {
    if (event["ph"] == phase) found.push_back(event);
  }
  return found;
}

// The names of a trace's processes and threads, by pid and by tid.
std::map<int, std::string> names(const json& trace, const std::string& what) {
  std::map<int, std::string> found;
  for (const auto& event : events(trace, "M")) {
    if (event["name"] != what) continue;
    found[event[what == "process_name" ? "pid" : "tid"].get<int>()] = event["args"]["name"];
  }
  return found;
}

TEST(TraceFileName, IsTheTestsNameWithOnlySafeCharacters) {
  EXPECT_EQ(trace_file_name("RunAll.RunsTheTasksAtTheSameTime"),
            "RunAll.RunsTheTasksAtTheSameTime.json");
  EXPECT_EQ(trace_file_name("Sizes/Pool.Maps/2"), "Sizes_Pool.Maps_2.json");
  EXPECT_EQ(trace_file_name("../up"), "test.._up.json") << "never hidden, never a path";
  EXPECT_EQ(trace_file_name(""), "test.json");
  EXPECT_LE(trace_file_name(std::string(1000, 'x')).size(), 255U);
}

TEST(TraceJson, HasAProcessPerRecordingAThreadPerRowAndAnEventPerSpan) {
  const std::vector<Recording> recordings = {
      {"SpanRecorder made at here.cpp:1",
       {span("user 1", 0, 20), span("user 2", 20, 40, 1)},
       Millis(5)},
      {"timeline drawn at there.cpp:2", {span("errand", 1, 2.5)}, Millis(0)},
  };
  const json trace = json::parse(trace_json("Suite.Name", recordings, "it failed"));
  EXPECT_EQ(trace["displayTimeUnit"], "ms");
  EXPECT_EQ(trace["otherData"]["test"], "Suite.Name");
  EXPECT_EQ(trace["otherData"]["failure"], "it failed");
  EXPECT_EQ(names(trace, "process_name"),
            (std::map<int, std::string>{{1, "SpanRecorder made at here.cpp:1"},
                                        {2, "timeline drawn at there.cpp:2"}}));
  EXPECT_EQ(names(trace, "thread_name"),
            (std::map<int, std::string>{{1, "user 1"}, {2, "user 2"}, {3, "errand"}}));
  const auto spans = events(trace, "X");
  ASSERT_EQ(spans.size(), 3U) << trace.dump(2);
  // Microseconds, from the test's start: the first recorder's zero was 5 ms into the test.
  EXPECT_EQ(spans[0]["name"], "user 1");
  EXPECT_DOUBLE_EQ(spans[0]["ts"].get<double>(), 5000);
  EXPECT_DOUBLE_EQ(spans[0]["dur"].get<double>(), 20000);
  EXPECT_EQ(spans[0]["pid"], 1);
  EXPECT_EQ(spans[0]["tid"], 1);
  EXPECT_EQ(spans[0]["args"]["thread"], 1) << "threads are numbered from 1, as in the timeline";
  EXPECT_DOUBLE_EQ(spans[1]["ts"].get<double>(), 25000);
  EXPECT_EQ(spans[1]["tid"], 2);
  EXPECT_EQ(spans[1]["args"]["thread"], 2);
  EXPECT_DOUBLE_EQ(spans[2]["ts"].get<double>(), 1000);
  EXPECT_DOUBLE_EQ(spans[2]["dur"].get<double>(), 1500);
  EXPECT_EQ(spans[2]["pid"], 2);
  EXPECT_EQ(spans[2]["tid"], 3);
}

// A track shows one slice at a time: spans of one row that overlap go on lanes of their own.
TEST(TraceJson, GivesOverlappingSpansOfARowLanesOfTheirOwn) {
  const json trace = json::parse(trace_json(
      "S.T", {{"r", {span("gil", 0, 10), span("gil", 5, 15, 1), span("gil", 12, 20)}, Millis(0)}}));
  EXPECT_EQ(names(trace, "thread_name"), (std::map<int, std::string>{{1, "gil"}, {2, "gil (2)"}}));
  const auto spans = events(trace, "X");
  ASSERT_EQ(spans.size(), 3U);
  EXPECT_EQ(spans[0]["tid"], 1);
  EXPECT_EQ(spans[1]["tid"], 2) << "it overlaps the first";
  EXPECT_EQ(spans[2]["tid"], 1) << "the first lane is free again by then";
}

TEST(TraceJson, StartsAtTheEarliestMomentARecordingHolds) {
  // A recorder made before the test started (in SetUpTestSuite, say).
  const json trace = json::parse(trace_json("S.T", {{"r", {span("early", 0, 1)}, Millis(-3)}}));
  EXPECT_DOUBLE_EQ(events(trace, "X").at(0)["ts"].get<double>(), 0);
  EXPECT_EQ(trace["otherData"]["zero"], "3.000 ms before the test started");
}

TEST(TraceJson, EscapesNamesAndReplacesWhatIsNotUtf8) {
  const std::string label = "a \"quote\", a back\\slash, a new\nline, a tab\t, \x01, ünï";
  const json trace = json::parse(
      trace_json("Suite.\"Name\"", {{"r", {span(label.c_str(), 0, 1), span("\xff\xc3", 0, 1)}}}));
  EXPECT_EQ(trace["otherData"]["test"], "Suite.\"Name\"");
  const auto spans = events(trace, "X");
  ASSERT_EQ(spans.size(), 2U);
  EXPECT_EQ(spans[0]["name"], label);
  EXPECT_EQ(spans[1]["name"], "\xEF\xBF\xBD\xEF\xBF\xBD") << "each stray byte is U+FFFD";
}

// ---- what a test program does with COURSE_TRACE_DIR (misbehaving_tests.cpp's Traced.*) ----------

TEST(TraceFile, AFailedTestThatRecordedSpansWritesOneAndNamesIt) {
  const Folder folder;
  const auto traces = folder.path() / "not" / "made" / "yet";
  const auto run =
      run_misbehaving_test("Traced.FailsWithSpans", {{"COURSE_TRACE_DIR", traces.string()}});
  EXPECT_EQ(run.ending, course::Ending::exited) << run.output;
  EXPECT_EQ(run.exit_code, 1) << run.output;
  const auto file = traces / "Traced.FailsWithSpans.json";
  const std::string line = "[    TRACE ] trace: " + file.string() + " — open it in ui.perfetto.dev";
  EXPECT_THAT(run.output, HasSubstr(line + "\n[  FAILED  ] Traced.FailsWithSpans"))
      << "among the test's messages, before gtest ends it";
  ASSERT_TRUE(std::filesystem::exists(file)) << run.output;

  const json trace = json::parse(read(file), nullptr, false);
  ASSERT_FALSE(trace.is_discarded()) << read(file);
  EXPECT_EQ(trace["otherData"]["test"], "Traced.FailsWithSpans");
  EXPECT_THAT(trace["otherData"]["failure"].get<std::string>(),
              HasSubstr("misbehaving_tests.cpp:"));
  EXPECT_THAT(trace["otherData"]["failure"].get<std::string>(), HasSubstr("fails on purpose"));
  // The recorder (destroyed first), the timeline drawn (twice, kept once), and the static
  // recorder still alive at the test's end.
  std::vector<std::string> processes;
  for (const auto& [pid, name] : names(trace, "process_name")) processes.push_back(name);
  ASSERT_EQ(processes.size(), 3U) << trace.dump(2);
  EXPECT_THAT(processes[0],
              HasSubstr("SpanRecorder made at tests/support_tests/misbehaving_tests.cpp:"));
  EXPECT_THAT(processes[1],
              HasSubstr("timeline drawn at tests/support_tests/misbehaving_tests.cpp:"));
  EXPECT_THAT(processes[2], HasSubstr("SpanRecorder made at"));

  const std::string odd = "back\\slash\nnew line\x01 \xEF\xBF\xBD \u00fcn\u00ef";
  std::set<std::string> threads;
  for (const auto& [tid, name] : names(trace, "thread_name")) threads.insert(name);
  EXPECT_EQ(threads, (std::set<std::string>{"worker \"one\"", odd, "overlapping", "overlapping (2)",
                                            "drawn", "static"}));
  std::map<std::string, json> by_name;
  std::set<int> tids;
  for (const auto& event : events(trace, "X")) {
    EXPECT_GE(event["ts"].get<double>(), 0) << event;
    EXPECT_GE(event["dur"].get<double>(), 0) << event;
    tids.insert(event["tid"].get<int>());
    by_name[event["name"]] = event;
  }
  EXPECT_EQ(events(trace, "X").size(), 6U);
  EXPECT_EQ(tids.size(), 6U) << "a lane each";
  // Microseconds: each worker slept 2 ms inside its span, on a thread of its own.
  EXPECT_GE(by_name["worker \"one\""]["dur"].get<double>(), 2000);
  EXPECT_GE(by_name[odd]["dur"].get<double>(), 2000);
  EXPECT_NE(by_name["worker \"one\""]["args"]["thread"], by_name[odd]["args"]["thread"]);
  EXPECT_DOUBLE_EQ(by_name["drawn"]["dur"].get<double>(), 1000);
}

TEST(TraceFile, KeepsEveryRecorderOfEveryThread) {
  const Folder folder;
  const auto run = run_misbehaving_test("Traced.FailsWithRecordersOnManyThreads",
                                        {{"COURSE_TRACE_DIR", folder.path().string()}});
  EXPECT_EQ(run.exit_code, 1) << run.output;
  const json trace = json::parse(
      read(folder.path() / "Traced.FailsWithRecordersOnManyThreads.json"), nullptr, false);
  ASSERT_FALSE(trace.is_discarded()) << run.output;
  // 8 threads × 20 recorders of their own, and the one they share.
  EXPECT_EQ(names(trace, "process_name").size(), 8U * 20 + 1);
  EXPECT_EQ(events(trace, "X").size(), 8U * 20 * 5 + 8 * 20);
}

// No file and no line for a test that passed, nor for one that failed without a span.
TEST(TraceFile, NoneWhenTheTestPassesOrRecordedNoSpan) {
  for (const auto& [test, exit_code] :
       {std::pair{"Traced.PassesWithSpans", 0}, std::pair{"Traced.FailsWithoutSpans", 1}}) {
    const Folder folder;
    const auto run = run_misbehaving_test(test, {{"COURSE_TRACE_DIR", folder.path().string()}});
    EXPECT_EQ(run.exit_code, exit_code) << run.output;
    EXPECT_THAT(run.output, Not(HasSubstr("TRACE"))) << test;
    EXPECT_TRUE(std::filesystem::is_empty(folder.path())) << test;
  }
}

TEST(TraceFile, NoneWithoutCourseTraceDir) {
  // Set empty, as the grader sets it when no trace is wanted (and unset: this program's own
  // environment has none, unless a maintainer exported one).
  const auto run = run_misbehaving_test("Traced.FailsWithSpans", {{"COURSE_TRACE_DIR", ""}});
  EXPECT_EQ(run.exit_code, 1) << run.output;
  EXPECT_THAT(run.output, Not(HasSubstr("TRACE")));
}

TEST(TraceFile, AFolderItCannotWriteIsSaidNotACrash) {
  const Folder folder;
  const auto file = folder.path() / "a-file";
  std::ofstream(file) << "not a folder\n";
  const auto run = run_misbehaving_test("Traced.FailsWithSpans",
                                        {{"COURSE_TRACE_DIR", (file / "traces").string()}});
  EXPECT_EQ(run.ending, course::Ending::exited) << run.output;
  EXPECT_EQ(run.exit_code, 1) << run.output;
  EXPECT_THAT(run.output, HasSubstr("[    TRACE ] could not write the trace " +
                                    (file / "traces" / "Traced.FailsWithSpans.json").string()));
  EXPECT_THAT(run.output, Not(HasSubstr("[    TRACE ] trace: ")));
}

}  // namespace
