#include "trace.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iterator>
#include <memory>
#include <mutex>
#include <optional>
#include <utility>

#include <fcntl.h>
#include <unistd.h>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <course/unique_fd.hpp>

namespace course::detail {
namespace {

using Clock = SpanRecorder::Clock;

// The most spans one test's trace holds: a recording that runs away must not fill the disk, and
// ui.perfetto.dev loads a file this size (about 30 MB) in seconds.
constexpr std::size_t kMaxSpans = 200'000;
// The failure message in the trace's otherData is cut here: the messages already say it all.
constexpr std::size_t kMaxFailure = 4000;

// Set once, by install_trace_writer, before any test runs; read from any thread that makes or
// destroys a recorder. The test program's pid: a child it forked keeps no recordings (the
// registry's lock may have been held by another thread at the fork, and the child writes no
// trace anyway).
std::atomic<bool> trace_enabled{false};
std::atomic<pid_t> trace_program{0};

// The running test's recordings. A recorder reports to it from any thread, and usually dies
// before the test ends (it is a local of the test, or of a fixture gtest destroys before
// OnTestEnd): so a recorder hands over its spans when it is destroyed, and one still alive when
// the test ends is read then.
// Lock order: the registry's mutex, then a recorder's (SpanRecorder::spans); a recorder never
// calls into the registry while it holds its own.
class Registry {
 public:
  void begin_test() {
    const std::lock_guard lock(mutex_);
    ++test_;
    test_start_ = Clock::now();
    finished_.clear();
    drawn_.clear();
    kept_spans_ = 0;
    dropped_spans_ = 0;
  }

  void made(const SpanRecorder& recorder, std::string name) {
    const std::lock_guard lock(mutex_);
    live_.push_back(Live{&recorder, std::move(name), test_});
  }

  void gone(const SpanRecorder& recorder) {
    const std::lock_guard lock(mutex_);
    const auto found = std::find_if(live_.begin(), live_.end(),
                                    [&](const Live& live) { return live.recorder == &recorder; });
    if (found == live_.end()) return;
    // A recorder made during an earlier test (a static one) belongs to no trace now.
    if (found->test == test_ && test_ != 0) keep(snapshot(*found), finished_);
    live_.erase(found);
  }

  void drawn(const std::vector<Span>& spans, std::string name) {
    const std::lock_guard lock(mutex_);
    if (test_ == 0 || spans.empty()) return;
    if (std::find(drawn_.begin(), drawn_.end(), spans) != drawn_.end()) return;
    drawn_.push_back(spans);
    // Their times are the test's own: counted from the test's start, as good a zero as any.
    keep(Recording{std::move(name), spans, Millis(0)}, finished_);
  }

  struct Ended {
    std::vector<Recording> recordings;
    std::size_t dropped_spans = 0;
  };
  // The recordings of the test that is ending, with those of recorders still alive.
  Ended end_test() {
    const std::lock_guard lock(mutex_);
    std::vector<Recording> all = finished_;
    for (const Live& live : live_) {
      if (live.test == test_) keep(snapshot(live), all);
    }
    return {std::move(all), dropped_spans_};
  }

 private:
  struct Live {
    const SpanRecorder* recorder;
    std::string name;
    std::uint64_t test;  // the test it was made in
  };

  Recording snapshot(const Live& live) const {
    return Recording{live.name, live.recorder->spans(),
                     Millis(live.recorder->epoch() - test_start_)};
  }

  // Adds `recording` to `into`, as much of it as the cap on spans leaves room for.
  void keep(Recording recording, std::vector<Recording>& into) {
    if (recording.spans.empty()) return;
    const std::size_t room = kMaxSpans - std::min(kMaxSpans, kept_spans_);
    if (recording.spans.size() > room) {
      dropped_spans_ += recording.spans.size() - room;
      recording.spans.resize(room);
    }
    kept_spans_ += recording.spans.size();
    if (!recording.spans.empty()) into.push_back(std::move(recording));
  }

  std::mutex mutex_;
  std::uint64_t test_ = 0;  // how many tests have started: which one is running
  Clock::time_point test_start_;
  std::vector<Live> live_;
  std::vector<Recording> finished_;
  std::vector<std::vector<Span>> drawn_;
  std::size_t kept_spans_ = 0;
  std::size_t dropped_spans_ = 0;
};

// A function's static: made before the first recorder that uses it, so destroyed after the last
// (a static recorder included).
Registry& registry() {
  static Registry instance;
  return instance;
}

// The length of the UTF-8 sequence at the start of `text`, or 0 where it is not one (a stray
// byte, an overlong form, a surrogate, past U+10FFFF).
std::size_t utf8_length(std::string_view text) {
  const auto byte = [&text](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char lead = byte(0);
  if (lead < 0x80) return 1;
  const std::size_t length = (lead >> 5) == 0x6    ? 2
                             : (lead >> 4) == 0xE  ? 3
                             : (lead >> 3) == 0x1E ? 4
                                                   : 0;
  if (length == 0 || length > text.size()) return 0;
  char32_t point = lead & (0x7F >> length);
  for (std::size_t k = 1; k < length; ++k) {
    if ((byte(k) >> 6) != 0x2) return 0;
    point = (point << 6) | (byte(k) & 0x3F);
  }
  constexpr std::array<char32_t, 5> kSmallest = {0, 0, 0x80, 0x800, 0x10000};
  const bool valid =
      point >= kSmallest[length] && point <= 0x10FFFF && (point < 0xD800 || point > 0xDFFF);
  return valid ? length : 0;
}

// `text` as a JSON string, quotes included. JSON must be UTF-8: a label is any bytes a test
// chose, so what is not UTF-8 becomes U+FFFD rather than a file that does not load.
std::string json_string(std::string_view text) {
  std::string out = "\"";
  while (!text.empty()) {
    const char c = text.front();
    const std::size_t length = utf8_length(text);
    if (length == 0) {
      out += "\\ufffd";
      text.remove_prefix(1);
      continue;
    }
    if (length > 1) {
      out.append(text.substr(0, length));
    } else if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (static_cast<unsigned char>(c) < 0x20) {
      fmt::format_to(std::back_inserter(out), "\\u{:04x}", static_cast<unsigned>(c));
    } else {
      out += c;
    }
    text.remove_prefix(length);
  }
  return out + "\"";
}

double microseconds(Millis time) {
  return time.count() * 1000.0;
}

// The first failed assertion of `result`, where and what, for the trace's otherData.
std::string first_failure(const ::testing::TestResult& result) {
  for (int i = 0; i < result.total_part_count(); ++i) {
    const ::testing::TestPartResult& part = result.GetTestPartResult(i);
    if (!part.failed()) continue;
    std::string text = part.message();
    if (part.file_name() != nullptr) {
      // The repository's paths as the messages the grader shows name them: relative.
      std::string_view file = part.file_name();
      constexpr std::string_view kSource = COURSE_SOURCE_DIR "/";
      if (file.starts_with(kSource)) file.remove_prefix(kSource.size());
      text = fmt::format("{}:{}: {}", file, part.line_number(), text);
    }
    if (text.size() > kMaxFailure) text = text.substr(0, kMaxFailure) + " ...";
    return text;
  }
  return {};
}

// What goes wrong writing a file, in words.
struct WriteError {
  std::string what;
};

// Writes `content` to `file` whole or not at all: into a fresh file beside it, then renamed over
// it. (O_EXCL and O_NOFOLLOW: whatever an earlier test left in the folder under that name, a
// link or a pipe, is not written through.)
std::optional<WriteError> write_whole(const std::filesystem::path& file, std::string_view content) {
  const auto temporary =
      file.parent_path() / fmt::format(".{}.{}.tmp", file.filename().string(), ::getpid());
  ::unlink(temporary.c_str());
  const UniqueFd fd(
      ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644));
  if (!fd.valid()) return WriteError{std::strerror(errno)};
  while (!content.empty()) {
    const auto written = ::write(fd.get(), content.data(), content.size());
    if (written < 0 && errno == EINTR) continue;
    if (written <= 0) {
      const int error = written < 0 ? errno : ENOSPC;
      ::unlink(temporary.c_str());
      return WriteError{std::strerror(error)};
    }
    content.remove_prefix(static_cast<std::size_t>(written));
  }
  if (::rename(temporary.c_str(), file.c_str()) != 0) {
    const int error = errno;
    ::unlink(temporary.c_str());
    return WriteError{std::strerror(error)};
  }
  return std::nullopt;
}

class TraceWriter : public ::testing::EmptyTestEventListener {
 public:
  explicit TraceWriter(std::filesystem::path folder)
      : folder_(std::move(folder)), test_program_(::getpid()) {}

  void OnTestStart(const ::testing::TestInfo& /*test*/) override { registry().begin_test(); }

  // Runs before gtest's printer ends the test (listeners end last-added first), so the line
  // that names the file comes before "[  FAILED  ]", among the test's own messages.
  void OnTestEnd(const ::testing::TestInfo& test) override {
    if (::getpid() != test_program_) return;  // a forked child that ran on in the test
    try {
      auto [recordings, dropped] = registry().end_test();
      const ::testing::TestResult& result = *test.result();
      if (!result.Failed() || recordings.empty()) return;
      const std::string name = std::string(test.test_suite_name()) + "." + test.name();
      std::string failure = first_failure(result);
      if (dropped > 0) {
        failure += fmt::format("\n(the trace holds the first {} spans; {} more were left out)",
                               kMaxSpans, dropped);
      }
      write(name, trace_json(name, recordings, failure));
    } catch (const std::exception& error) {
      say(fmt::format("[    TRACE ] could not write the trace: {}\n", error.what()));
    }
  }

 private:
  void write(const std::string& test, const std::string& json) const {
    std::error_code error;
    std::filesystem::create_directories(folder_, error);
    const auto file = folder_ / trace_file_name(test);
    if (error) {
      say(fmt::format("[    TRACE ] could not write the trace {}: could not make {}: {}\n",
                      file.string(), folder_.string(), error.message()));
      return;
    }
    if (const auto failed = write_whole(file, json)) {
      say(fmt::format("[    TRACE ] could not write the trace {}: {}\n", file.string(),
                      failed->what));
      return;
    }
    say(fmt::format("{}{} — open it in ui.perfetto.dev\n", kTraceMarker, file.string()));
  }

  // On stdout, where gtest's printer writes the test's messages and its end.
  static void say(const std::string& line) {
    std::fflush(stdout);
    std::fputs(line.c_str(), stdout);
    std::fflush(stdout);
  }

  std::filesystem::path folder_;
  pid_t test_program_;
};

}  // namespace

std::string trace_file_name(std::string_view test) {
  constexpr std::size_t kMaxName = 200;  // with ".json", well under a file name's 255 bytes
  std::string name;
  for (const char c : test.substr(0, kMaxName)) {
    const bool safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '.' || c == '-' || c == '_';
    name += safe ? c : '_';
  }
  // Never "", ".", ".." or a hidden file.
  if (name.empty() || name.front() == '.') name.insert(0, "test");
  return name + ".json";
}

std::string trace_json(std::string_view test, const std::vector<Recording>& recordings,
                       std::string_view failure) {
  // One time axis for every recording, from the earliest moment any of them holds.
  Millis zero{0};
  for (const Recording& recording : recordings) {
    for (const Span& span : recording.spans) zero = std::min(zero, recording.offset + span.start);
  }
  std::string out = "{\"traceEvents\":[";
  bool first = true;
  const auto event = [&](const std::string& text) {
    out += first ? "\n" : ",\n";
    out += text;
    first = false;
  };
  int next_tid = 1;  // unique in the file: tools differ on whether a tid is per process
  for (std::size_t index = 0; index < recordings.size(); ++index) {
    const Recording& recording = recordings[index];
    const std::size_t pid = index + 1;
    event(fmt::format(R"({{"name":"process_name","ph":"M","pid":{},"tid":0,"args":{{"name":{}}}}})",
                      pid, json_string(recording.name)));
    std::vector<Span> spans = recording.spans;
    std::stable_sort(spans.begin(), spans.end(),
                     [](const Span& a, const Span& b) { return a.start < b.start; });
    // Rows are labels in the order they first started, as in the printed timeline. A track
    // shows one slice at a time (or slices nested in one another): a span that overlaps an
    // earlier one of its row goes on the row's first lane free by then, a new one if none is.
    std::vector<std::string> labels;
    std::vector<std::vector<Millis>> lane_ends;  // per row, where each of its lanes is busy to
    std::vector<std::pair<std::size_t, std::size_t>> lane_of;  // per span: row, lane
    lane_of.reserve(spans.size());
    for (const Span& span : spans) {
      const auto found = std::find(labels.begin(), labels.end(), span.label);
      const auto row = static_cast<std::size_t>(found - labels.begin());
      if (found == labels.end()) {
        labels.push_back(span.label);
        lane_ends.emplace_back();
      }
      auto& ends = lane_ends[row];
      const auto free =
          std::find_if(ends.begin(), ends.end(), [&span](Millis end) { return end <= span.start; });
      const auto lane = static_cast<std::size_t>(free - ends.begin());
      if (free == ends.end()) ends.emplace_back();
      ends[lane] = std::max(span.start, span.end);
      lane_of.emplace_back(row, lane);
    }
    // Thread ids in row order, so that the tracks show in the timeline's order.
    std::vector<std::vector<int>> tids(labels.size());
    for (std::size_t row = 0; row < labels.size(); ++row) {
      for (std::size_t lane = 0; lane < lane_ends[row].size(); ++lane) {
        const int tid = next_tid++;
        tids[row].push_back(tid);
        const std::string name =
            lane == 0 ? labels[row] : fmt::format("{} ({})", labels[row], lane + 1);
        event(fmt::format(
            R"({{"name":"thread_name","ph":"M","pid":{},"tid":{},"args":{{"name":{}}}}})", pid, tid,
            json_string(name)));
      }
    }
    for (std::size_t i = 0; i < spans.size(); ++i) {
      const Span& span = spans[i];
      const auto [row, lane] = lane_of[i];
      // "thread": which thread ran it, numbered from 1 as the printed timeline numbers them.
      event(fmt::format(
          R"({{"name":{},"cat":"span","ph":"X","ts":{:.3f},"dur":{:.3f},"pid":{},"tid":{},)"
          R"("args":{{"thread":{}}}}})",
          json_string(span.label), microseconds(recording.offset + span.start - zero),
          microseconds(std::max(Millis(0), span.end - span.start)), pid, tids[row][lane],
          span.thread + 1));
    }
  }
  fmt::format_to(
      std::back_inserter(out),
      "\n],\n\"displayTimeUnit\":\"ms\",\n\"otherData\":{{\"test\":{},\"failure\":{},"
      "\"zero\":{}}}\n}}\n",
      json_string(test), json_string(failure),
      json_string(zero < Millis(0) ? fmt::format("{:.3f} ms before the test started", -zero.count())
                                   : std::string("when the test started")));
  return out;
}

bool tracing() {
  return trace_enabled.load(std::memory_order_relaxed) &&
         ::getpid() == trace_program.load(std::memory_order_relaxed);
}

void trace_recorder_made(const SpanRecorder& recorder, std::string name) {
  registry().made(recorder, std::move(name));
}

void trace_recorder_gone(const SpanRecorder& recorder) {
  registry().gone(recorder);
}

void trace_timeline_drawn(const std::vector<Span>& spans, std::string name) {
  registry().drawn(spans, std::move(name));
}

void install_trace_writer() {
  const char* folder = std::getenv(kTraceDirVariable);
  if (folder == nullptr || *folder == '\0') return;  // the grader sets it empty for "none"
  // Absolute now: the path printed is one the student can open from anywhere, and a test that
  // changes its working directory does not move the traces.
  std::error_code error;
  auto absolute = std::filesystem::absolute(folder, error);
  if (error) absolute = folder;
  // gtest takes ownership of the listeners it is given.
  ::testing::UnitTest::GetInstance()->listeners().Append(
      std::make_unique<TraceWriter>(absolute.lexically_normal()).release());
  trace_program.store(::getpid(), std::memory_order_relaxed);
  trace_enabled.store(true, std::memory_order_relaxed);
}

}  // namespace course::detail
