// SpanRecorder: what ran when, on which thread — and a picture of it for failure messages.
//
//   course::SpanRecorder recorder;
//   auto fetch = [&](int user) { auto span = recorder.span(fmt::format("user {}", user)); ... };
//   ... run them ...
//   EXPECT_GE(recorder.peak_overlap(), 2) << "they ran one after another:\n" <<
//   recorder.timeline();
//
// prints
//   timeline: 0 to 61.2 ms, one column = 0.96 ms, '#' = running
//     user 1 |#####################...........................................|  0.0 – 20.1 ms
//     user 2 |.....................#####################.....................| 20.1 – 40.2 ms
//     user 3 |..........................................####################| 40.2 – 61.2 ms
//
// With COURSE_TRACE_DIR=dir set, a test that fails also writes what its recorders (and the
// timelines it drew) saw as dir/Suite.Name.json, a trace for ui.perfetto.dev (trace.hpp).
#pragma once

#include <chrono>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <course/time_scale.hpp>

namespace course {

struct Span {
  std::string label;
  int thread;    // 0 for the first thread that recorded a span, 1 for the next, ...
  Millis start;  // since the recorder was made
  Millis end;

  bool operator==(const Span&) const = default;
};

class SpanRecorder {
 public:
  using Clock = std::chrono::steady_clock;

  // Records one span from its creation to its destruction.
  class [[nodiscard]] Scope {
   public:
    Scope(SpanRecorder& recorder, std::string label)
        : recorder_(&recorder), label_(std::move(label)), start_(Clock::now()) {}
    Scope(Scope&& other) noexcept
        : recorder_(std::exchange(other.recorder_, nullptr)),
          label_(std::move(other.label_)),
          start_(other.start_) {}
    Scope(const Scope&) = delete;
    Scope& operator=(const Scope&) = delete;
    Scope& operator=(Scope&&) = delete;
    ~Scope() {
      if (recorder_ != nullptr) recorder_->record(std::move(label_), start_, Clock::now());
    }

   private:
    SpanRecorder* recorder_;
    std::string label_;
    Clock::time_point start_;
  };

  // `file` and `line` say where the recorder was made, to name its recording in a trace file.
  // (__builtin_FILE rather than std::source_location: clang 14 has no std::source_location
  // with libstdc++. Not explicit: a struct that holds a recorder may still be made with {}.)
  SpanRecorder(const char* file = __builtin_FILE(), int line = __builtin_LINE());
  // Hands what it recorded to the running test's trace, when COURSE_TRACE_DIR asks for one.
  ~SpanRecorder();
  SpanRecorder(const SpanRecorder&) = delete;
  SpanRecorder& operator=(const SpanRecorder&) = delete;

  Scope span(std::string label) { return {*this, std::move(label)}; }
  void record(std::string label, Clock::time_point start, Clock::time_point end);

  // Every span so far, ordered by start.
  [[nodiscard]] std::vector<Span> spans() const;
  // The most spans that were open at one moment (0 when none was recorded).
  [[nodiscard]] int peak_overlap() const;
  // One row per label (in order of first start), the time running left to right.
  [[nodiscard]] std::string timeline(int columns = 64) const;
  // When the recorder was made: the zero of its spans' times.
  [[nodiscard]] Clock::time_point epoch() const { return epoch_; }

 private:
  Clock::time_point epoch_;
  mutable std::mutex mutex_;
  std::vector<Span> spans_;
  std::vector<std::thread::id> threads_;  // a thread's index in this list is its number
};

// The most of `spans` open at one moment. A span that ends exactly when another starts does
// not overlap it.
int peak_overlap(const std::vector<Span>& spans);

// The picture SpanRecorder::timeline draws, for any list of spans. A failed test's trace file
// holds the spans drawn too (`file` and `line` name them there).
std::string draw_timeline(const std::vector<Span>& spans, int columns = 64,
                          const char* file = __builtin_FILE(), int line = __builtin_LINE());

}  // namespace course
