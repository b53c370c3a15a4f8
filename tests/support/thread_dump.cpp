#include "thread_dump.hpp"

#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <vector>

#include <sys/prctl.h>
#include <unistd.h>

#include <fmt/format.h>

#include <course/run_process.hpp>

namespace course::detail {
namespace {

struct Frame {
  std::string function;  // as gdb names it, arguments dropped
  std::string file;      // empty when gdb knows no source line
  std::string line;
};

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
  if (const auto arguments = text.find(" ("); arguments != std::string_view::npos) {
    text = text.substr(0, arguments);
  }
  frame.function = std::string(text);
  return frame;
}

// A name a person can read: no "(anonymous namespace)::", long template arguments as <…>,
// and gtest's Suite_Name_Test::TestBody as "test Suite.Name".
std::string readable(std::string name) {
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

}  // namespace

// How many of the course's callers are shown under a thread's innermost place.
constexpr int kCallersShown = 4;

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
  std::string summary;
  int shown = 0;  // threads are numbered as shown: the watchdog's are left out
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
    if (watchdog || frames.empty()) continue;
    const auto own_place = [&](const Frame& frame) {
      return fmt::format("{} at {}:{}", readable(frame.function), relative(frame.file, source_dir),
                         frame.line);
    };
    std::string text;
    if (first_own == frames.size()) {
      text = fmt::format("in {}", readable(frames.front().function));
    } else {
      const std::string place = own_place(frames[first_own]);
      text = first_own == 0 ? "running in " + place
                            : fmt::format("in {}, called from {}",
                                          readable(frames[first_own - 1].function), place);
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
    summary += fmt::format("thread {}: {}\n", ++shown, text);
  }
  return summary;
}

std::optional<std::string> describe_threads(std::chrono::milliseconds budget) {
  if (const char* setting = std::getenv("COURSE_BACKTRACE");
      setting != nullptr && std::string_view(setting) == "off") {
    return std::nullopt;
  }
  // Is gdb on the PATH?
  const char* path = std::getenv("PATH");
  bool found = false;
  for (std::istringstream dirs(path != nullptr ? path : ""); !found;) {
    std::string dir;
    if (!std::getline(dirs, dir, ':')) break;
    found = ::access((std::filesystem::path(dir) / "gdb").c_str(), X_OK) == 0;
  }
  if (!found) return std::nullopt;
  // With Yama's ptrace_scope at 1, a process may only be traced by its ancestors unless it says
  // otherwise; gdb is our child.
  ::prctl(PR_SET_PTRACER, PR_SET_PTRACER_ANY);
  ProcessRequest request;
  request.argv = {"gdb",
                  "-p",
                  std::to_string(::getpid()),
                  "-batch",
                  "-nx",
                  "-ex",
                  "set pagination off",
                  "-ex",
                  "thread apply all bt 40"};
  request.deadline = budget;
  request.adopt_orphans = false;  // the test's own children stay its own
  const ProcessResult run = run_process(request);
  if (run.ending != Ending::exited) return std::nullopt;
  std::string summary = summarize_backtraces(run.output, COURSE_SOURCE_DIR);
  if (summary.empty()) return std::nullopt;
  return summary;
}

}  // namespace course::detail
