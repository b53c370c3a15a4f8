// SpanRecorder: what ran when, the overlap, and the timeline picture.
#include <latch>
#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <course/testing.hpp>

namespace {

using course::Millis;
using course::Span;
using ::testing::HasSubstr;

Span span(const char* label, double start, double end, int thread = 0) {
  return Span{label, thread, Millis(start), Millis(end)};
}

TEST(PeakOverlap, CountsSpansOpenAtOnce) {
  EXPECT_EQ(course::peak_overlap({}), 0);
  EXPECT_EQ(course::peak_overlap({span("a", 0, 10), span("b", 10, 20)}), 1)
      << "spans that only touch do not overlap";
  EXPECT_EQ(course::peak_overlap({span("a", 0, 10), span("b", 5, 15)}), 2);
  EXPECT_EQ(course::peak_overlap({span("a", 0, 30), span("b", 5, 10), span("c", 6, 7)}), 3);
  EXPECT_EQ(course::peak_overlap({span("a", 0, 10), span("b", 20, 30), span("c", 25, 40)}), 2);
}

TEST(Timeline, DrawsOneRowPerLabel) {
  EXPECT_EQ(course::draw_timeline({span("a", 0, 10), span("b", 10, 20)}, 10),
            "timeline: 0 to 20.0 ms, one column = 2.00 ms, '#' = running\n"
            "  a |#####.....|    0.0 –   10.0 ms\n"
            "  b |.....#####|   10.0 –   20.0 ms\n");
}

TEST(Timeline, ShowsOverlapAsColumnsInCommon) {
  EXPECT_EQ(course::draw_timeline({span("first", 0, 20), span("second", 0, 20)}, 8),
            "timeline: 0 to 20.0 ms, one column = 2.50 ms, '#' = running\n"
            "  first  |########|    0.0 –   20.0 ms\n"
            "  second |########|    0.0 –   20.0 ms\n");
}

TEST(Timeline, SumsARowOfSeveralSpansAndNamesThreads) {
  const auto picture = course::draw_timeline(
      {span("gil", 0, 5, 0), span("gil", 10, 15, 1), span("io", 5, 10, 1)}, 15);
  EXPECT_THAT(picture, HasSubstr("  gil |#####.....#####| 2 spans, 10.0 ms in all  (2 threads)\n"));
  EXPECT_THAT(picture, HasSubstr("  io  |.....#####.....|    5.0 –   10.0 ms  (thread 2)\n"))
      << "threads are numbered from 1";
}

TEST(Timeline, DoesNotNameThreadsWhenTheRowsAreThreads) {
  EXPECT_EQ(
      course::draw_timeline(
          {span("thread 1", 0, 5, 0), span("thread 2", 5, 10, 1), span("thread 1", 10, 15, 0)}, 15),
      "timeline: 0 to 15.0 ms, one column = 1.00 ms, '#' = running\n"
      "  thread 1 |#####.....#####| 2 spans, 10.0 ms in all\n"
      "  thread 2 |.....#####.....|    5.0 –   10.0 ms\n");
}

TEST(Timeline, SaysWhenNothingWasRecorded) {
  EXPECT_EQ(course::draw_timeline({}), "timeline: nothing was recorded\n");
}

TEST(SpanRecorder, RecordsSpansFromThreads) {
  course::SpanRecorder recorder;
  std::latch both_inside(2);
  {
    std::jthread first([&] {
      const auto scope = recorder.span("first");
      both_inside.arrive_and_wait();
    });
    std::jthread second([&] {
      const auto scope = recorder.span("second");
      both_inside.arrive_and_wait();
    });
  }
  const auto spans = recorder.spans();
  ASSERT_EQ(spans.size(), 2U);
  EXPECT_LE(spans[0].start, spans[1].start) << "ordered by start";
  EXPECT_NE(spans[0].thread, spans[1].thread) << "two threads get two numbers";
  EXPECT_EQ(recorder.peak_overlap(), 2) << "both were inside at once";
  EXPECT_THAT(recorder.timeline(), HasSubstr("first"));
  EXPECT_THAT(recorder.timeline(), HasSubstr("second"));
}

TEST(SpanRecorder, SeesOneAfterAnother) {
  course::SpanRecorder recorder;
  { const auto scope = recorder.span("one"); }
  { const auto scope = recorder.span("two"); }
  EXPECT_EQ(recorder.peak_overlap(), 1);
  const auto spans = recorder.spans();
  ASSERT_EQ(spans.size(), 2U);
  EXPECT_EQ(spans[0].label, "one");
  EXPECT_GE(spans[1].start, spans[0].end);
}

}  // namespace
