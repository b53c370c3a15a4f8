// Internal to the support library: the running test's span recordings, and the trace file a test
// that fails writes of them when COURSE_TRACE_DIR names a folder.
//
//   COURSE_TRACE_DIR=traces ctest --test-dir build -L chapter2
//
// A failed test that recorded spans (course::SpanRecorder, or a timeline it drew) writes
// traces/Suite.Name.json and says so under its failure messages:
//   [    TRACE ] trace: /home/ada/course/build/traces/RunAll.RunsTheTasksAtTheSameTime.json —
//   open it in ui.perfetto.dev
// The file is Chrome's Trace Event Format, which ui.perfetto.dev (and chrome://tracing) loads: a
// process per recording, a track per row of its timeline, a slice per span, on one time axis
// from the test's start. The grader finds the line by its "[    TRACE ] trace: " marker.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <course/span_recorder.hpp>

namespace course::detail {

inline constexpr const char* kTraceDirVariable = "COURSE_TRACE_DIR";
inline constexpr std::string_view kTraceMarker = "[    TRACE ] trace: ";

// What one recorder saw, or the spans of one timeline a test drew.
struct Recording {
  std::string name;  // "SpanRecorder made at tests/02_threads/test_2_1_run_all.cpp:25"
  std::vector<Span> spans;
  Millis offset{0};  // where the recording's zero is, since the test started
};

// The recordings as a Chrome trace (JSON): for each recording a process, named after it; for
// each row of its timeline (a label) a thread, named after the label, with a second one where
// the label's spans overlap (a track shows one slice at a time); a complete event ("X") per span,
// in microseconds from the earliest zero, with the thread that ran it. `test` and `failure` go in
// its otherData. Any text becomes valid JSON: escaped, and what is not UTF-8 as U+FFFD.
std::string trace_json(std::string_view test, const std::vector<Recording>& recordings,
                       std::string_view failure = {});

// A file name for test "Suite.Name": "Suite.Name.json", with every character but letters, digits,
// '.', '-' and '_' as '_' ("Sizes/Pool.Maps/2" is "Sizes_Pool.Maps_2.json").
std::string trace_file_name(std::string_view test);

// Whether recordings are being kept: COURSE_TRACE_DIR was set, not empty, when main started.
bool tracing();

// SpanRecorder's part: a recorder made while tracing is kept track of, and when it is destroyed
// (or the test ends first) its spans go into the running test's recordings.
void trace_recorder_made(const SpanRecorder& recorder, std::string name);
void trace_recorder_gone(const SpanRecorder& recorder);
// draw_timeline's part: the spans drawn, once (a timeline is often drawn for several messages).
void trace_timeline_drawn(const std::vector<Span>& spans, std::string name);

// When COURSE_TRACE_DIR is set (and not empty): keeps every test's recordings, and writes them
// when the test fails (from this process, not from a forked child).
void install_trace_writer();

}  // namespace course::detail
