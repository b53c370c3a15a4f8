#include <algorithm>
#include <cmath>
#include <iterator>
#include <map>
#include <set>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include <course/span_recorder.hpp>

#include "trace.hpp"

namespace course {
namespace {

// "tests/02_threads/test_2_1_run_all.cpp:25": where a recorder was made or a timeline drawn, to
// name it in a trace file.
std::string place(const char* file, int line) {
  std::string_view path = file;
  constexpr std::string_view kSource = COURSE_SOURCE_DIR "/";
  if (path.starts_with(kSource)) path.remove_prefix(kSource.size());
  return fmt::format("{}:{}", path, line);
}

std::string draw(const std::vector<Span>& spans, int columns);

}  // namespace

SpanRecorder::SpanRecorder(const char* file, int line) : epoch_(Clock::now()) {
  if (detail::tracing()) {
    detail::trace_recorder_made(*this, "SpanRecorder made at " + place(file, line));
  }
}

SpanRecorder::~SpanRecorder() {
  if (!detail::tracing()) return;
  // A trace is an extra for a failure message: running out of memory for it must not end the
  // test program from a destructor.
  try {
    detail::trace_recorder_gone(*this);
  } catch (const std::exception&) {
  }
}

void SpanRecorder::record(std::string label, Clock::time_point start, Clock::time_point end) {
  const std::lock_guard lock(mutex_);
  const auto id = std::this_thread::get_id();
  auto known = std::find(threads_.begin(), threads_.end(), id);
  if (known == threads_.end()) known = threads_.insert(threads_.end(), id);
  spans_.push_back(Span{std::move(label), static_cast<int>(known - threads_.begin()),
                        Millis(start - epoch_), Millis(end - epoch_)});
}

std::vector<Span> SpanRecorder::spans() const {
  std::vector<Span> copy;
  {
    const std::lock_guard lock(mutex_);
    copy = spans_;
  }
  std::stable_sort(copy.begin(), copy.end(),
                   [](const Span& a, const Span& b) { return a.start < b.start; });
  return copy;
}

int SpanRecorder::peak_overlap() const {
  return course::peak_overlap(spans());
}

std::string SpanRecorder::timeline(int columns) const {
  // (The recorder's spans reach the trace when it is destroyed: not as a timeline drawn.)
  return draw(spans(), columns);
}

int peak_overlap(const std::vector<Span>& spans) {
  // Sweep the starts and ends in time order; at equal times an end comes first, so spans
  // that merely touch do not count as overlapping.
  std::vector<std::pair<Millis, int>> events;
  events.reserve(spans.size() * 2);
  for (const Span& span : spans) {
    events.emplace_back(span.start, +1);
    events.emplace_back(span.end, -1);
  }
  std::sort(events.begin(), events.end());
  int open = 0;
  int peak = 0;
  for (const auto& [time, change] : events) {
    open += change;
    peak = std::max(peak, open);
  }
  return peak;
}

std::string draw_timeline(const std::vector<Span>& spans, int columns, const char* file, int line) {
  if (detail::tracing())
    detail::trace_timeline_drawn(spans, "timeline drawn at " + place(file, line));
  return draw(spans, columns);
}

namespace {

std::string draw(const std::vector<Span>& spans, int columns) {
  if (spans.empty()) return "timeline: nothing was recorded\n";
  columns = std::max(columns, 8);

  // Rows are labels, in the order they first started.
  std::vector<std::string> labels;
  std::map<std::string, std::set<int>> threads_of;  // label -> threads
  std::map<int, std::set<std::string>> labels_of;   // thread -> labels
  Millis total{0};
  for (const Span& span : spans) {
    if (std::find(labels.begin(), labels.end(), span.label) == labels.end()) {
      labels.push_back(span.label);
    }
    threads_of[span.label].insert(span.thread);
    labels_of[span.thread].insert(span.label);
    total = std::max(total, span.end);
  }
  // Which thread ran a row is worth saying when there are several, unless each row is one
  // thread's and each thread has one row: then the labels already name the threads.
  const bool one_row_per_thread =
      std::all_of(threads_of.begin(), threads_of.end(),
                  [](const auto& entry) { return entry.second.size() == 1; }) &&
      std::all_of(labels_of.begin(), labels_of.end(),
                  [](const auto& entry) { return entry.second.size() == 1; });
  const bool name_threads = labels_of.size() > 1 && !one_row_per_thread;
  total = std::max(total, Millis(0.001));
  const double column_ms = total.count() / columns;
  std::size_t label_width = 0;
  for (const auto& label : labels) label_width = std::max(label_width, label.size());

  std::string out = fmt::format("timeline: 0 to {}, one column = {:.2f} ms, '#' = running\n",
                                format_millis(total), column_ms);
  for (const auto& label : labels) {
    std::string bar(static_cast<std::size_t>(columns), '.');
    int count = 0;
    Millis busy{0};
    const Span* only = nullptr;
    std::vector<int> threads;
    for (const Span& span : spans) {
      if (span.label != label) continue;
      ++count;
      only = &span;
      busy += span.end - span.start;
      if (std::find(threads.begin(), threads.end(), span.thread) == threads.end()) {
        threads.push_back(span.thread);
      }
      const int first =
          std::clamp(static_cast<int>(span.start.count() / column_ms), 0, columns - 1);
      const int last = std::clamp(static_cast<int>(std::ceil(span.end.count() / column_ms)) - 1,
                                  first, columns - 1);
      std::fill(bar.begin() + first, bar.begin() + last + 1, '#');
    }
    std::string detail =
        count == 1 ? fmt::format("{:6.1f} – {:6.1f} ms", only->start.count(), only->end.count())
                   : fmt::format("{} spans, {} in all", count, format_millis(busy));
    if (name_threads) {
      // Numbered from 1 for people; Span::thread counts from 0.
      detail += threads.size() == 1 ? fmt::format("  (thread {})", threads.front() + 1)
                                    : fmt::format("  ({} threads)", threads.size());
    }
    fmt::format_to(std::back_inserter(out), "  {:<{}} |{}| {}\n", label, label_width, bar, detail);
  }
  return out;
}

}  // namespace

}  // namespace course
