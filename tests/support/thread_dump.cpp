#include "thread_dump.hpp"

#include <algorithm>
#include <array>
#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <vector>

#include <sys/mman.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <fmt/format.h>

#include <course/machine.hpp>
#include <course/run_process.hpp>
#include <course/time_scale.hpp>
#include <course/unique_fd.hpp>

namespace course::detail {
namespace {

struct Frame {
  std::string function;  // as gdb names it, arguments dropped
  std::string file;      // empty when gdb knows no source line
  std::string line;
};

// "ns::f(int, std::function<void (int)> const&) const" as "ns::f": a demangled name's parameter
// types say nothing about where the thread is. An empty list stays: "std::thread::join()".
std::string without_parameters(std::string_view name) {
  if (name.ends_with(" const")) name.remove_suffix(std::string_view(" const").size());
  if (!name.ends_with(")") || name.ends_with("()")) return std::string(name);
  int depth = 0;
  for (std::size_t i = name.size(); i-- > 0;) {
    if (name[i] == ')') ++depth;
    if (name[i] == '(' && --depth == 0) return std::string(name.substr(0, i));
  }
  return std::string(name);
}

// "#5  0x000055 in ns::f (this=0x1) at /src/a.cpp:21" and "#7  operator() (c=...) at /src/a.cpp:20"
// and "#4  0x00007f in std::thread::join() () from /lib/libstdc++.so.6".
Frame parse_frame(std::string_view text) {
  Frame frame;
  const auto after_number = text.find_first_of(' ');
  text.remove_prefix(after_number == std::string_view::npos ? text.size() : after_number);
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  if (text.starts_with("0x")) {
    const auto in = text.find(" in ");
    text.remove_prefix(in == std::string_view::npos ? text.size() : in + 4);
  }
  if (const auto at = text.rfind(" at "); at != std::string_view::npos) {
    const std::string_view location = text.substr(at + 4);
    const auto colon = location.rfind(':');
    frame.file = std::string(location.substr(0, colon));
    if (colon != std::string_view::npos) frame.line = std::string(location.substr(colon + 1));
    text = text.substr(0, at);
  } else if (const auto from = text.rfind(" from "); from != std::string_view::npos) {
    text = text.substr(0, from);
  }
  // The arguments follow the name after a space: "f (x=1)"; "operator() (...)" keeps its "()".
  // A space and a parenthesis inside the name ("std::function<void (int)>") are not them.
  int depth = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '<' || text[i] == '(') ++depth;
    if ((text[i] == '>' || text[i] == ')') && depth > 0) --depth;
    if (depth == 0 && text.substr(i).starts_with(" (")) {
      text = text.substr(0, i);
      break;
    }
  }
  frame.function = without_parameters(text);
  return frame;
}

// A name a person can read: no "(anonymous namespace)::", long template arguments as <…>,
// and gtest's Suite_Name_Test::TestBody as "test Suite.Name".
std::string readable(std::string name) {
  // clang names a lambda's call "f(int)::$_1::operator()()", g++ "operator()": the same here.
  if (const auto lambda = name.rfind("::$_"); lambda != std::string::npos) {
    const auto call = name.find("::", lambda + 4);
    if (call != std::string::npos && name.compare(call + 2, 10, "operator()") == 0) {
      return "operator()";
    }
  }
  for (std::string noise = "(anonymous namespace)::"; name.find(noise) != std::string::npos;) {
    name.erase(name.find(noise), noise.size());
  }
  std::string out;
  int depth = 0;
  std::string inside;
  for (const char c : name) {
    if (c == '<') {
      if (depth++ == 0) {
        inside.clear();
        continue;
      }
    } else if (c == '>' && depth > 0 && --depth == 0) {
      out += inside.size() <= 24 ? "<" + inside + ">" : "<…>";
      continue;
    }
    (depth > 0 ? inside : out) += c;
  }
  if (const auto test = out.find("_Test::TestBody");
      test != std::string::npos && out.ends_with("_Test::TestBody")) {
    const std::string body = out.substr(0, test);
    const auto split = body.find('_');
    if (split != std::string::npos)
      return fmt::format("test {}.{}", body.substr(0, split), body.substr(split + 1));
  }
  return out;
}

std::string relative(const std::string& file, std::string_view source_dir) {
  const std::string prefix = std::string(source_dir) + "/";
  return file.starts_with(prefix) ? file.substr(prefix.size()) : file;
}

// Which of the library frames below the course's first one says what the thread waits for: the
// innermost public name of the standard library ("std::mutex::lock()" rather than the
// "std::lock_guard" the code wrote, "std::thread::join()" rather than the "std::vector::~vector"
// that joined its jthreads, "std::future<…>::get" rather than "std::__future_base::…"), else
// the frame the course's code called.
std::size_t waiting_call(const std::vector<Frame>& frames, std::size_t first_own) {
  for (std::size_t i = 0; i < first_own; ++i) {
    const std::string name = readable(frames[i].function);
    if (name.starts_with("std::") && name.find("::_") == std::string::npos) return i;
  }
  return first_own - 1;
}

}  // namespace

// How many of the course's callers are shown under a thread's innermost place.
constexpr int kCallersShown = 4;
// How many different places are listed; the threads in the rest are counted on one line.
constexpr std::size_t kPlacesShown = 12;

namespace {

// "2-5, 7, 9-64" for the sorted numbers 2 3 4 5 7 9 … 64; after `limit` pieces, "…".
std::string ranges_of(const std::vector<int>& numbers, std::size_t limit = 6) {
  std::vector<std::string> pieces;
  for (std::size_t i = 0; i < numbers.size();) {
    std::size_t last = i;
    while (last + 1 < numbers.size() && numbers[last + 1] == numbers[last] + 1) ++last;
    if (pieces.size() == limit) {
      pieces.emplace_back("…");
      break;
    }
    pieces.push_back(last == i ? std::to_string(numbers[i])
                               : fmt::format("{}-{}", numbers[i], numbers[last]));
    i = last + 1;
  }
  std::string text;
  for (const auto& piece : pieces) text += (text.empty() ? "" : ", ") + piece;
  return text;
}

}  // namespace

std::string summarize_backtraces(std::string_view gdb_output, std::string_view source_dir) {
  const std::string course_code = std::string(source_dir) + "/";
  const std::string support_code = course_code + "tests/support/";
  std::vector<std::pair<std::string, std::vector<Frame>>> threads;
  std::istringstream lines{std::string(gdb_output)};
  std::string line;
  while (std::getline(lines, line)) {
    if (line.starts_with("Thread ")) {
      threads.emplace_back(line.substr(7, line.find(' ', 7) - 7), std::vector<Frame>{});
    } else if (line.starts_with("#") && !threads.empty()) {
      threads.back().second.push_back(parse_frame(line));
    }
  }
  // Each thread's place, and the threads (numbered as shown: the watchdog's are left out) in
  // each place, in the order the places first appear: 500 threads stuck on one lock are one
  // line, not 500.
  std::vector<std::pair<std::string, std::vector<int>>> places;
  int shown = 0;
  for (auto it = threads.rbegin(); it != threads.rend(); ++it) {  // gdb lists the newest first
    const auto& frames = it->second;
    bool watchdog = false;
    std::size_t first_own = frames.size();
    for (std::size_t i = 0; i < frames.size(); ++i) {
      watchdog = watchdog || frames[i].file.starts_with(support_code + "deadline.cpp");
      if (first_own == frames.size() && frames[i].file.starts_with(course_code) &&
          !frames[i].file.starts_with(support_code)) {
        first_own = i;
      }
    }
    // A sanitizer's own thread (ThreadSanitizer's background thread sleeps in
    // __sanitizer::internal_usleep) is no more the test's than the watchdog is.
    const bool sanitizers_own = first_own == frames.size() &&
                                std::any_of(frames.begin(), frames.end(), [](const Frame& frame) {
                                  return frame.function.starts_with("__sanitizer::") ||
                                         frame.function.starts_with("__tsan::") ||
                                         frame.function.starts_with("__asan::") ||
                                         frame.function.starts_with("__lsan::");
                                });
    if (watchdog || sanitizers_own || frames.empty()) continue;
    const auto own_place = [&](const Frame& frame) {
      return fmt::format("{} at {}:{}", readable(frame.function), relative(frame.file, source_dir),
                         frame.line);
    };
    std::string text;
    if (first_own == frames.size()) {
      text = fmt::format("in {}", readable(frames.front().function));
    } else {
      const std::string place = own_place(frames[first_own]);
      text = first_own == 0
                 ? "running in " + place
                 : fmt::format("in {}, called from {}",
                               readable(frames[waiting_call(frames, first_own)].function), place);
      // Then who called that, in the course's code, up to the test: the innermost frame alone
      // (a wait_for_child) does not say which path (a shutdown, a destructor) got there.
      int callers = 0;
      for (std::size_t i = first_own + 1; i < frames.size() && callers < kCallersShown; ++i) {
        if (!frames[i].file.starts_with(course_code) || frames[i].file.starts_with(support_code)) {
          continue;
        }
        text += "\n          from " + own_place(frames[i]);
        ++callers;
      }
    }
    const int number = ++shown;
    const auto same = std::find_if(places.begin(), places.end(),
                                   [&text](const auto& place) { return place.first == text; });
    if (same == places.end()) {
      places.emplace_back(std::move(text), std::vector<int>{number});
    } else {
      same->second.push_back(number);
    }
  }
  std::string summary;
  int others = 0;
  for (std::size_t i = 0; i < places.size(); ++i) {
    const auto& [text, numbers] = places[i];
    if (i >= kPlacesShown) {
      others += static_cast<int>(numbers.size());
    } else if (numbers.size() == 1) {
      summary += fmt::format("thread {}: {}\n", numbers.front(), text);
    } else {
      summary += fmt::format("{} threads ({}): {}\n", numbers.size(), ranges_of(numbers), text);
    }
  }
  if (others > 0) {
    summary +=
        fmt::format("… and {} more thread{} in {} other place{}\n", others, others == 1 ? "" : "s",
                    places.size() - kPlacesShown, places.size() - kPlacesShown == 1 ? "" : "s");
  }
  return summary;
}

namespace {

bool gdb_installed() {
  const char* path = std::getenv("PATH");
  for (std::istringstream dirs(path != nullptr ? path : "");;) {
    std::string dir;
    if (!std::getline(dirs, dir, ':')) return false;
    if (::access((std::filesystem::path(dir) / "gdb").c_str(), X_OK) == 0) return true;
  }
}

// Everything written to the file `fd` (from its start), up to `limit` bytes.
std::string read_all(int fd, std::size_t limit) {
  std::string text;
  std::array<char, 64 * 1024> buffer{};
  for (off_t offset = 0; text.size() < limit;) {
    const ssize_t got = ::pread(fd, buffer.data(), buffer.size(), offset);
    if (got <= 0) break;
    text.append(buffer.data(), static_cast<std::size_t>(got));
    offset += got;
  }
  return text;
}

}  // namespace

std::optional<std::string> describe_threads(std::chrono::milliseconds budget) {
  if (const char* setting = std::getenv("COURSE_BACKTRACE");
      setting != nullptr && std::string_view(setting) == "off") {
    return std::nullopt;
  }
  if (!gdb_installed()) return std::nullopt;
  // With Yama's ptrace_scope at 1, a process may only be traced by its ancestors unless it says
  // otherwise; gdb is our child.
  ::prctl(PR_SET_PTRACER, PR_SET_PTRACER_ANY);
  // gdb stops every thread of this process while it writes, the one that waits for it too. So
  // nothing here may need to run before gdb is done: it writes to a file, which needs no reader
  // (a pipe that this process read filled up with 64 threads' stacks, and gdb and the test
  // waited for each other for ever), and `timeout`, outside this process, ends it at the budget.
  // Then SIGCONT, in case gdb was killed between stopping a thread and letting it go on.
  const UniqueFd file(::memfd_create("course-thread-dump", MFD_CLOEXEC));
  if (!file.valid()) return std::nullopt;
  const int threads = threads_in_this_process();
  const std::string pid = std::to_string(::getpid());
  const std::string seconds = fmt::format("{:.3f}", std::chrono::duration<double>(budget).count());
  ProcessRequest request;
  request.argv = {"sh", "-c",
                  "timeout -s KILL \"$0\" gdb -p \"$1\" -batch -nx -ex 'set pagination off' "
                  "-ex 'thread apply all bt 40'; ended=$?; kill -CONT \"$1\"; exit $ended",
                  seconds, pid};
  request.output_fd = file.get();
  request.deadline = budget + std::chrono::seconds(2);  // the shell's, around gdb's own budget
  request.adopt_orphans = false;                        // the test's own children stay its own
  const ProcessResult run = run_process(request);
  const bool cut_short = run.ending != Ending::exited || run.exit_code != 0;
  const std::string output = read_all(file.get(), std::size_t{16} << 20);
  std::string summary = summarize_backtraces(output, COURSE_SOURCE_DIR);
  if (cut_short) {
    if (summary.empty()) {
      return fmt::format("(gdb was stopped after {}, before it had shown any thread)\n",
                         format_millis(budget));
    }
    int seen = 0;  // the threads gdb began to show
    for (std::size_t at = 0; (at = output.find("\nThread ", at)) != std::string::npos; ++at) ++seen;
    summary += fmt::format("(gdb was stopped after {}: it had shown {} of the {} threads)\n",
                           format_millis(budget), seen, threads);
  }
  if (summary.empty()) return std::nullopt;
  return summary;
}

}  // namespace course::detail
