#include "verdict.hpp"

#include <algorithm>
#include <array>
#include <optional>
#include <sstream>

#include <signal.h>

#include <fmt/format.h>

namespace grader {
namespace {

constexpr int kDeadlineExitCode = 124;  // course::kDeadlineExitCode, from the support library
constexpr std::string_view kDeadlineMarker = "[  DEADLINE ] ";
constexpr std::string_view kCrashMarker = "[  CRASHED ] ";  // course::CrashNote's
// The support library's line for a failed test's trace file (tests/support/trace.hpp): "[    TRACE
// ] trace: PATH — open it in ui.perfetto.dev". Not part of any message: -v names the file apart.
constexpr std::string_view kTraceMarker = "[    TRACE ] ";
constexpr std::string_view kTraceLine = "[    TRACE ] trace: ";
constexpr std::string_view kTraceEnd = " — open it in ui.perfetto.dev";
constexpr std::size_t kMessageLines = 12;
constexpr std::size_t kLineWidth = 240;

std::vector<std::string> split_lines(std::string_view text) {
  std::vector<std::string> lines;
  std::istringstream stream{std::string(text)};
  std::string line;
  while (std::getline(stream, line)) lines.push_back(line);
  return lines;
}

std::string relative_paths(std::string line, const std::filesystem::path& source_dir) {
  if (source_dir.empty()) return line;
  const std::string prefix = source_dir.string() + "/";
  for (auto at = line.find(prefix); at != std::string::npos; at = line.find(prefix, at)) {
    line.erase(at, prefix.size());
  }
  return line;
}

// At most kMessageLines lines, each cut to kLineWidth, with a note when some were left out.
std::string message_from(const std::vector<std::string>& lines,
                         const std::filesystem::path& source_dir,
                         std::size_t max_lines = kMessageLines) {
  std::string message;
  std::size_t kept = 0;
  for (const auto& raw : lines) {
    if (kept == max_lines) {
      message += fmt::format("... ({} more lines)\n", lines.size() - kept);
      break;
    }
    std::string line = relative_paths(raw, source_dir);
    if (line.size() > kLineWidth) line = line.substr(0, kLineWidth) + " ...";
    message += line + "\n";
    ++kept;
  }
  while (!message.empty() && message.back() == '\n') message.pop_back();
  return message;
}

bool starts_with(std::string_view line, std::string_view prefix) {
  return line.substr(0, prefix.size()) == prefix;
}

// The lines gtest printed for `test`, between its "[ RUN ]" and its end marker (exclusive), and
// that end marker ("OK", "FAILED", "SKIPPED", or "" when the run ended inside the test).
struct TestBlock {
  bool ran = false;
  std::string end;
  std::vector<std::string> lines;
};

TestBlock block_of(const std::vector<std::string>& lines, std::string_view test) {
  TestBlock block;
  const std::string run = fmt::format("[ RUN      ] {}", test);
  for (const auto& line : lines) {
    if (!block.ran) {
      block.ran = line == run;
      continue;
    }
    struct End {
      std::string_view marker;
      std::string_view name;
    };
    for (const End end : {End{"[       OK ] ", "OK"}, End{"[  FAILED  ] ", "FAILED"},
                          End{"[  SKIPPED ] ", "SKIPPED"}}) {
      const std::string_view rest =
          std::string_view(line).substr(std::min(line.size(), end.marker.size()));
      if (starts_with(line, end.marker) && rest.starts_with(test) &&
          (rest.size() == test.size() || rest[test.size()] == ' ')) {
        block.end = end.name;
        return block;
      }
    }
    block.lines.push_back(line);
  }
  return block;
}

std::vector<Figure> figures_in(const std::vector<std::string>& lines) {
  std::vector<Figure> figures;
  constexpr std::string_view kMarker = "[   FIGURE ] ";
  for (const auto& line : lines) {
    if (!starts_with(line, kMarker)) continue;
    std::string rest = line.substr(kMarker.size());
    const auto equals = rest.find(" = ");
    if (equals == std::string::npos) continue;
    Figure figure{rest.substr(0, equals), rest.substr(equals + 3), ""};
    // The value, then what it is held to in parentheses: "(needs ...)" or "(not judged: ...)".
    if (const auto open = figure.value.find(" (");
        open != std::string::npos && figure.value.ends_with(")")) {
      figure.note = figure.value.substr(open + 2, figure.value.size() - open - 3);
      figure.value.erase(open);
    }
    figures.push_back(std::move(figure));
  }
  return figures;
}

// The first line that starts with `marker`, from there on (at most `count` lines).
std::optional<std::vector<std::string>> section_from(const std::vector<std::string>& lines,
                                                     std::string_view marker, std::size_t count) {
  const auto at = std::find_if(lines.begin(), lines.end(), [&](const std::string& line) {
    return line.find(marker) != std::string::npos;
  });
  if (at == lines.end()) return std::nullopt;
  const auto end = lines.end() - at > static_cast<std::ptrdiff_t>(count)
                       ? at + static_cast<std::ptrdiff_t>(count)
                       : lines.end();
  return std::vector<std::string>(at, end);
}

// A sanitizer's report, if the output holds one: its name and its first lines.
std::optional<std::string> sanitizer_report(const std::vector<std::string>& lines,
                                            const std::filesystem::path& source_dir) {
  struct Kind {
    std::string_view marker;
    std::string_view what;
  };
  constexpr std::array<Kind, 4> kinds{{
      {"WARNING: ThreadSanitizer:",
       "ThreadSanitizer found a problem (a data race is two threads using "
       "one memory location at once, one of them writing, without synchronisation):"},
      {"ERROR: AddressSanitizer:", "AddressSanitizer found a memory error:"},
      {"ERROR: LeakSanitizer:", "LeakSanitizer found memory that was never freed:"},
      {"runtime error:", "UndefinedBehaviorSanitizer found undefined behaviour:"},
  }};
  for (const Kind& kind : kinds) {
    const auto at = std::find_if(lines.begin(), lines.end(), [&](const std::string& line) {
      return line.find(kind.marker) != std::string::npos;
    });
    if (at == lines.end()) continue;
    // The report, shortened: every access it names (a race has two), each with its two innermost
    // frames; not the stacks of where threads were created; up to its SUMMARY line.
    std::vector<std::string> report{std::string(kind.what)};
    int frames_in_block = 0;
    bool in_creation_block = false;
    for (auto line = at; line != lines.end() && report.size() < kMessageLines + 6; ++line) {
      const std::string& text = *line;
      const auto first = text.find_first_not_of(' ');
      if (first == std::string::npos) continue;
      const bool frame = text.compare(first, 1, "#") == 0;
      if (!frame) {
        frames_in_block = 0;
        in_creation_block = text.find("created by") != std::string::npos;
        if (!in_creation_block) report.push_back(text);
      } else if (!in_creation_block && frames_in_block++ < 2) {
        report.push_back(text);
      }
      if (starts_with(text, "SUMMARY:")) break;
    }
    return message_from(report, source_dir, kMessageLines + 6);
  }
  return std::nullopt;
}

// A sanitizer that caught a deadly signal ("ERROR: AddressSanitizer: SEGV on unknown address")
// reports a crash, not a memory error: the signal, and the report's first frames.
struct CaughtSignal {
  int signal = 0;
  std::vector<std::string> report;
};

std::optional<CaughtSignal> signal_caught_by_a_sanitizer(const std::vector<std::string>& lines) {
  struct Name {
    std::string_view word;
    int signal;
  };
  constexpr std::array<Name, 5> names{
      {{"SEGV", SIGSEGV}, {"BUS", SIGBUS}, {"FPE", SIGFPE}, {"ILL", SIGILL}, {"ABRT", SIGABRT}}};
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const auto& line = lines[i];
    if (line.find("Sanitizer: ") == std::string::npos ||
        line.find(" on unknown address") == std::string::npos) {
      continue;
    }
    for (const Name& name : names) {
      if (line.find(fmt::format("Sanitizer: {} on unknown address", name.word)) !=
          std::string::npos) {
        const auto end = std::min(lines.size(), i + 8);
        return CaughtSignal{name.signal, std::vector<std::string>(
                                             lines.begin() + static_cast<std::ptrdiff_t>(i),
                                             lines.begin() + static_cast<std::ptrdiff_t>(end))};
      }
    }
  }
  return std::nullopt;
}

std::string describe_signal(int signal) {
  switch (signal) {
    case SIGSEGV:
      return "a bad memory access: a dangling pointer or reference, an index out of range, or a "
             "stack overflow";
    case SIGABRT:
      return "abort(): std::terminate (an exception nobody caught, a std::thread destroyed "
             "while still joinable) or a failed assert";
    case SIGFPE:
      return "an arithmetic error, such as an integer division by zero";
    case SIGBUS:
      return "a bad memory access";
    case SIGILL:
      return "an illegal instruction (often: a function with a return type that did not return)";
    case SIGKILL:
      return "killed from outside, perhaps for using too much memory";
    case SIGPIPE:
      return "it wrote to a pipe that nobody reads any more (ignore SIGPIPE to get EPIPE instead)";
    default:
      return "a signal";
  }
}

// The last `count` non-empty lines of the output, for a crash.
std::vector<std::string> last_lines(const std::vector<std::string>& lines, std::size_t count) {
  std::vector<std::string> tail;
  for (auto it = lines.rbegin(); it != lines.rend() && tail.size() < count; ++it) {
    if (!it->empty() && !starts_with(*it, "[   FIGURE ]") && !starts_with(*it, kTraceMarker)) {
      tail.insert(tail.begin(), *it);
    }
  }
  return tail;
}

// gtest's message for the first failed assertion: from "file:line: Failure" to the next one.
std::vector<std::string> first_failure(const std::vector<std::string>& block) {
  std::vector<std::string> failure;
  bool inside = false;
  for (const auto& line : block) {
    const bool starts_failure = line.ends_with(": Failure");
    if (starts_failure && inside) break;
    if (starts_failure) inside = true;
    if (inside && !starts_with(line, "[   FIGURE ]") && !starts_with(line, "[not implemented]") &&
        !starts_with(line, kTraceMarker)) {
      failure.push_back(line);
    }
  }
  if (failure.empty()) {
    for (const auto& line : block) {
      if (!line.empty() && !starts_with(line, "[   FIGURE ]") && !starts_with(line, kTraceMarker)) {
        failure.push_back(line);
      }
    }
  }
  return failure;
}

}  // namespace

std::string Figure::text() const {
  return note.empty() ? fmt::format("{} {}", name, value)
                      : fmt::format("{} {} ({})", name, value, note);
}

std::string_view verdict_name(Verdict verdict) {
  switch (verdict) {
    case Verdict::passed:
      return "passed";
    case Verdict::failed:
      return "failed";
    case Verdict::not_started:
      return "not started";
    case Verdict::crashed:
      return "crashed";
    case Verdict::timed_out:
      return "timed out";
    case Verdict::skipped:
      return "skipped";
    case Verdict::pending:
      return "pending";
    case Verdict::build_failed:
      return "not built";
    case Verdict::missing:
      return "missing";
    case Verdict::error:
      return "error";
  }
  return "?";
}

namespace {

// What the result channel says of `test`: "passed", "failed" or "skipped" from its "end" line,
// "started" when it started and never ended, "" when it never started.
std::string_view channel_verdict(std::string_view results, std::string_view test) {
  std::string_view said;
  while (!results.empty()) {
    const auto newline = results.find('\n');
    const std::string_view line = results.substr(0, newline);
    results.remove_prefix(newline == std::string_view::npos ? results.size() : newline + 1);
    if (line.starts_with("start ") && line.substr(6) == test) {
      said = "started";
    } else if (line.starts_with("end ") && line.substr(4).starts_with(test) &&
               line.size() > 4 + test.size() && line[4 + test.size()] == ' ') {
      said = line.substr(5 + test.size());
    }
  }
  return said;
}

Outcome judge_run(const ProcessResult& run, std::string_view test,
                  const std::filesystem::path& source_dir) {
  Outcome outcome;
  outcome.elapsed = run.elapsed;
  outcome.output = run.output;
  const auto lines = split_lines(run.output);
  outcome.figures = figures_in(lines);
  const TestBlock block = block_of(lines, test);
  const auto report = sanitizer_report(lines, source_dir);
  const auto set = [&outcome](Verdict verdict, std::string message) {
    outcome.verdict = verdict;
    outcome.message = std::move(message);
    return outcome;
  };

  if (run.ending == Ending::could_not_start) return set(Verdict::error, run.output);
  if (run.ending == Ending::cancelled) return set(Verdict::error, "interrupted before it ended");
  const bool exited_cleanly = run.ending == Ending::exited && run.exit_code == 0;
  // A deadline's message means a timeout whatever the exit code says (the support library
  // makes sure that the test cannot pass after it; an older build could).
  const bool deadline_passed = section_from(lines, "[  DEADLINE ]", 1).has_value();
  // Passed and skipped come from the result channel only: what the program prints can be
  // written by the student's code too (gtest's "[       OK ]" line, then _exit(0)).
  const std::string_view said = channel_verdict(run.results, test);
  if (exited_cleanly && said == "passed" && !report && !deadline_passed) {
    // A timing figure it could not judge earns nothing by itself: it is graded again.
    for (const auto& figure : outcome.figures) {
      if (figure.note.starts_with("not judged")) {
        return set(Verdict::pending,
                   fmt::format("{} {} was {} — the machine was too busy to tell a right answer "
                               "from a wrong one; graded again at the end",
                               figure.name, figure.value, figure.note));
      }
    }
    return set(Verdict::passed, "");
  }
  if (exited_cleanly && said == "skipped") {
    std::vector<std::string> reason;
    bool after_marker = false;
    for (const auto& line : block.lines) {
      if (line.ends_with(": Skipped")) {
        after_marker = true;
      } else if (after_marker && !line.empty()) {
        reason.push_back(line);
      }
    }
    return set(Verdict::skipped, message_from(reason, source_dir));
  }
  if (const auto missing = section_from(lines, "[not implemented] ", 1)) {
    return set(Verdict::not_started,
               missing->front().substr(std::string_view("[not implemented] ").size()));
  }
  // A test that captured stderr hid the "[not implemented]" line; gtest's report of the
  // exception still names it.
  constexpr std::string_view kThrown = "C++ exception with description \"";
  for (const auto& line : block.lines) {
    const auto at = line.find(kThrown);
    if (at == std::string::npos || line.find(" is not implemented yet") == std::string::npos) {
      continue;
    }
    const auto text = line.substr(at + kThrown.size());
    return set(Verdict::not_started, text.substr(0, text.rfind("\" thrown")));
  }
  if (run.ending == Ending::timed_out) {
    std::vector<std::string> message{
        fmt::format("still running after {:.1f} s, so the grader stopped it (and everything it "
                    "started)",
                    run.elapsed.count() / 1000.0)};
    // The test's own deadline may have begun its report and then been stopped (by a bug of the
    // course's): what it said is still the best explanation.
    if (const auto deadline = section_from(lines, "[  DEADLINE ]", kMessageLines + 4)) {
      message.emplace_back("Its own deadline had said:");
      for (const auto& line : *deadline) {
        message.push_back(starts_with(line, kDeadlineMarker) ? line.substr(kDeadlineMarker.size())
                                                             : line);
      }
    }
    return set(Verdict::timed_out, message_from(message, source_dir, kMessageLines + 10));
  }
  if (section_from(lines, "[  ESCAPED ]", 1)) {
    // A forked child ran on in the test's code: what it reported is not the test's result.
    // The first child's explanation, then the test's verdict (grandchildren repeat the former).
    constexpr std::string_view kMarker = "[  ESCAPED ] ";
    std::vector<std::string> message;
    for (const auto& line : lines) {
      if (!starts_with(line, kMarker)) continue;
      const std::string text = line.substr(kMarker.size());
      const bool verdict = text.find(" fails: ") != std::string::npos;
      if (verdict || message.size() < 3) message.push_back(text);
      if (verdict) break;
    }
    return set(Verdict::failed, message_from(message, source_dir));
  }
  if (exited_cleanly && !report && !deadline_passed &&
      (block.end == "OK" || block.end == "SKIPPED")) {
    // The text says the test ended well, the test program's own report does not.
    return set(Verdict::failed,
               said.empty() || said == "started"
                   ? fmt::format("the output says {} {}, but the test never ended: something ended "
                                 "the test program first (exit or _exit in the exercise's code?) "
                                 "— or printed gtest's lines itself",
                                 test, block.end == "OK" ? "passed" : "was skipped")
                   : fmt::format("the output says {} {}, but gtest reported it {}", test,
                                 block.end == "OK" ? "passed" : "was skipped", said));
  }
  if (run.ending == Ending::exited && (run.exit_code == kDeadlineExitCode || deadline_passed)) {
    if (auto deadline = section_from(lines, "[  DEADLINE ]", kMessageLines + 4)) {
      for (auto& line : *deadline) {
        if (starts_with(line, kDeadlineMarker)) line.erase(0, kDeadlineMarker.size());
      }
      // An assertion that failed before the hang is worth seeing too: it may be the cause.
      const auto failed =
          std::find_if(block.lines.begin(), block.lines.end(),
                       [](const std::string& line) { return line.ends_with(": Failure"); });
      if (failed != block.lines.end()) {
        std::vector<std::string> before;
        for (auto line = failed; line != block.lines.end() && before.size() < 6 &&
                                 !starts_with(*line, "[  DEADLINE ]") &&
                                 !(line != failed && line->ends_with(": Failure"));
             ++line) {
          before.push_back(*line);
        }
        before.emplace_back("... and then:");
        deadline->insert(deadline->begin(), before.begin(), before.end());
      }
      return set(Verdict::timed_out, message_from(*deadline, source_dir, kMessageLines + 10));
    }
  }
  if (const auto caught = signal_caught_by_a_sanitizer(lines)) {
    auto context = caught->report;
    context.insert(context.begin(), fmt::format("crashed with {} — {}", signal_name(caught->signal),
                                                describe_signal(caught->signal)));
    return set(Verdict::crashed, message_from(context, source_dir));
  }
  if (report) {
    set(Verdict::failed, *report);
    outcome.retryable = false;  // a race or a memory error is not the noise of a busy machine
    return outcome;
  }
  if (run.ending == Ending::killed_by_signal) {
    // The test's own note on what a crash means there (course::CrashNote) beats the signal's
    // general meaning; the note's line is not repeated among the last words.
    std::optional<std::string> note;
    std::vector<std::string> said;
    for (const auto& line : block.ran ? block.lines : lines) {
      if (starts_with(line, kCrashMarker)) {
        note = line.substr(kCrashMarker.size());
      } else {
        said.push_back(line);
      }
    }
    auto context = last_lines(said, 6);
    context.insert(context.begin(), fmt::format("crashed with {} — {}", signal_name(run.signal),
                                                note ? *note : describe_signal(run.signal)));
    return set(Verdict::crashed, message_from(context, source_dir));
  }
  if (!block.ran && exited_cleanly) {
    return set(Verdict::missing,
               fmt::format("the test program has no test {} — is the rubric up to date?", test));
  }
  if (block.end == "FAILED")
    return set(Verdict::failed, message_from(first_failure(block.lines), source_dir));
  auto context = last_lines(lines, 6);
  context.insert(context.begin(),
                 run.ending == Ending::exited
                     ? fmt::format("the test program exited with code {}", run.exit_code)
                     : std::string("the test program ended abnormally"));
  return set(Verdict::failed, message_from(context, source_dir));
}

// The sandbox's report of what the program left running (grader-sandbox writes it to the result
// channel after the program ended, so the program cannot write the last one): how many and
// their names, or nothing where the test did not run in a sandbox's PID namespace.
std::optional<std::pair<int, std::string>> sandbox_leftovers(std::string_view results) {
  constexpr std::string_view kPrefix = "sandbox: left ";
  std::optional<std::pair<int, std::string>> last;
  for (const auto& line : split_lines(results)) {
    if (!line.starts_with(kPrefix)) continue;
    const auto colon = line.find(": ", kPrefix.size());
    if (colon == std::string::npos) continue;
    last.emplace(std::atoi(line.c_str() + kPrefix.size()), line.substr(colon + 2));
  }
  return last;
}

// The trace file the output names (the last such line), or nothing.
std::filesystem::path trace_in(const std::vector<std::string>& lines) {
  std::filesystem::path named;
  for (const auto& line : lines) {
    if (!starts_with(line, kTraceLine)) continue;
    std::string_view path = std::string_view(line).substr(kTraceLine.size());
    if (path.ends_with(kTraceEnd)) path.remove_suffix(kTraceEnd.size());
    named = path;
  }
  return named;
}

}  // namespace

Outcome judge(const ProcessResult& run, std::string_view test,
              const std::filesystem::path& source_dir) {
  Outcome outcome = judge_run(run, test, source_dir);
  if (outcome.verdict != Verdict::passed && outcome.verdict != Verdict::pending &&
      outcome.verdict != Verdict::skipped) {
    outcome.trace = trace_in(split_lines(run.output));
  }
  // A test that leaves processes running fails (whatever else it did): they would run on after
  // it, beside the next test — or forever.
  // (After a deadline or an interruption the grader killed everything itself, and what was still
  // dying then is no news.)
  const bool ended_by_itself =
      run.ending == Ending::exited || run.ending == Ending::killed_by_signal;
  const auto sandbox = sandbox_leftovers(run.results);
  const int left = !ended_by_itself ? 0 : sandbox ? sandbox->first : run.leftovers_killed;
  if (left > 0) {
    const std::string names = sandbox ? fmt::format(": {}", sandbox->second) : "";
    if (outcome.verdict == Verdict::passed || outcome.verdict == Verdict::pending) {
      outcome.verdict = Verdict::failed;
      outcome.retryable = false;
    }
    if (!outcome.message.empty()) outcome.message += "\n";
    outcome.message += fmt::format("it left {} process{} running{} — the grader killed {}", left,
                                   left == 1 ? "" : "es", names, left == 1 ? "it" : "them");
  }
  return outcome;
}

std::string compiler_messages(std::string_view build_output,
                              const std::filesystem::path& source_dir, int max_lines) {
  std::vector<std::string> kept;
  bool skip_next = false;
  for (const auto& line : split_lines(build_output)) {
    if (skip_next) {
      skip_next = false;  // the failed command line, after ninja's "FAILED:"
      continue;
    }
    if (starts_with(line, "FAILED: ")) {
      skip_next = true;
      continue;
    }
    const bool chatter = (starts_with(line, "[") && line.find('/') < line.find(']')) ||
                         starts_with(line, "-- ") || starts_with(line, "ninja: ");
    if (!chatter) kept.push_back(relative_paths(line, source_dir));
  }
  std::string text;
  for (int i = 0; i < static_cast<int>(kept.size()); ++i) {
    if (i == max_lines) {
      text += fmt::format("... ({} more lines)\n", kept.size() - static_cast<std::size_t>(i));
      break;
    }
    text += kept[static_cast<std::size_t>(i)] + "\n";
  }
  while (!text.empty() && text.back() == '\n') text.pop_back();
  return text;
}

}  // namespace grader
