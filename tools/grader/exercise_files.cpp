#include "exercise_files.hpp"

#include <algorithm>
#include <array>
#include <fstream>
#include <regex>
#include <set>
#include <string_view>

#include <fmt/format.h>

namespace grader {
namespace {

// C++20's keywords, its identifiers with a special meaning, and its alternative tokens.
const std::set<std::string_view>& keywords() {
  static const std::set<std::string_view> words = {"alignas",
                                                   "alignof",
                                                   "and",
                                                   "and_eq",
                                                   "asm",
                                                   "auto",
                                                   "bitand",
                                                   "bitor",
                                                   "bool",
                                                   "break",
                                                   "case",
                                                   "catch",
                                                   "char",
                                                   "char8_t",
                                                   "char16_t",
                                                   "char32_t",
                                                   "class",
                                                   "compl",
                                                   "concept",
                                                   "const",
                                                   "consteval",
                                                   "constexpr",
                                                   "constinit",
                                                   "const_cast",
                                                   "continue",
                                                   "co_await",
                                                   "co_return",
                                                   "co_yield",
                                                   "decltype",
                                                   "default",
                                                   "delete",
                                                   "do",
                                                   "double",
                                                   "dynamic_cast",
                                                   "else",
                                                   "enum",
                                                   "explicit",
                                                   "export",
                                                   "extern",
                                                   "false",
                                                   "final",
                                                   "float",
                                                   "for",
                                                   "friend",
                                                   "goto",
                                                   "if",
                                                   "import",
                                                   "inline",
                                                   "int",
                                                   "long",
                                                   "module",
                                                   "mutable",
                                                   "namespace",
                                                   "new",
                                                   "noexcept",
                                                   "not",
                                                   "not_eq",
                                                   "nullptr",
                                                   "operator",
                                                   "or",
                                                   "or_eq",
                                                   "override",
                                                   "private",
                                                   "protected",
                                                   "public",
                                                   "register",
                                                   "reinterpret_cast",
                                                   "requires",
                                                   "return",
                                                   "short",
                                                   "signed",
                                                   "sizeof",
                                                   "static",
                                                   "static_assert",
                                                   "static_cast",
                                                   "struct",
                                                   "switch",
                                                   "template",
                                                   "this",
                                                   "thread_local",
                                                   "throw",
                                                   "true",
                                                   "try",
                                                   "typedef",
                                                   "typeid",
                                                   "typename",
                                                   "union",
                                                   "unsigned",
                                                   "using",
                                                   "virtual",
                                                   "void",
                                                   "volatile",
                                                   "wchar_t",
                                                   "while",
                                                   "xor",
                                                   "xor_eq"};
  return words;
}

// Why `name` may not be a macro of an exercise file, or nothing.
std::string_view why_not(std::string_view name) {
  if (keywords().contains(name)) return "a C++ keyword";
  static constexpr std::array<std::string_view, 6> kPrefixes = {"EXPECT_", "ASSERT_", "GTEST_",
                                                                "GMOCK_",  "TEST",    "COURSE_"};
  for (const auto prefix : kPrefixes) {
    if (name.starts_with(prefix))
      return prefix == "COURSE_" ? "a name of the course's" : "a name of gtest's";
  }
  static const std::set<std::string_view> kTestNames = {
      "FAIL",         "SUCCEED",       "ADD_FAILURE", "ADD_FAILURE_AT",
      "SCOPED_TRACE", "RUN_ALL_TESTS", "FRIEND_TEST", "INSTANTIATE_TEST_SUITE_P",
      "TYPED_TEST",   "TYPED_TEST_P",  "testing"};
  if (kTestNames.contains(name)) return "a name of gtest's";
  static const std::set<std::string_view> kOtherNames = {"course", "std", "main"};
  if (kOtherNames.contains(name)) return "a name the tests use";
  return {};
}

// The exercise files of a chapter folder: its .hpp and .cpp files, in order.
std::vector<std::filesystem::path> exercise_files(const std::filesystem::path& folder) {
  std::vector<std::filesystem::path> files;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(folder, error)) {
    const auto extension = entry.path().extension();
    if (entry.is_regular_file() && (extension == ".hpp" || extension == ".cpp")) {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

struct Suspect {
  std::regex pattern;
  std::string_view why;
  std::set<int> taught_in;  // chapters where it is part of a right answer
};

const std::vector<Suspect>& suspects() {
  static const std::vector<Suspect> list = {
      {std::regex(R"(\b(_exit|_Exit|quick_exit|exit|abort)\s*\()"),
       "ends the program at once: before gtest can give the test its verdict",
       {4, 8}},
      {std::regex(R"(/proc/)"),
       "reads /proc: the process table, or its own command line (which test is running?)",
       {}},
      {std::regex(R"(\b(secure_getenv|getenv)\s*\(|\benviron\b|program_invocation)"),
       "reads the environment or its own name (GTEST_FILTER: which test is running?)",
       {}},
      {std::regex(R"(\b(kill|killpg|tgkill|tkill|sigqueue|raise|pidfd_send_signal)\s*\()"),
       "sends a signal: to another process (the grader?) or to itself",
       {4}},
      {std::regex(R"(\b(signal|sigaction)\s*\()"), "changes how signals are handled", {4, 8}},
      {std::regex(R"(\b(fork|vfork|clone|posix_spawnp?|execl[pe]?|execvp?e?|system|popen)\s*\()"),
       "starts a process",
       {4, 8}},
      {std::regex(R"(\b(dup2|dup3|close_range)\s*\(|\b(write|dprintf)\s*\(\s*[3-9]\s*,)"),
       "moves or writes file descriptors (the grader's verdict pipe is one)",
       {4}},
      {std::regex(R"(\bGTEST_|\btesting::|\bUnitTest\b|<gtest/)"),
       "uses gtest's own machinery in an exercise file",
       {}},
      {std::regex(R"(COURSE_(RESULTS|USABLE)|\bcourse::detail\b)"),
       "touches the grader's channel or the cores it counts",
       {}},
      {std::regex(
           R"(\b(syscall|ptrace|dlsym|dlopen|prctl|setrlimit|prlimit|sched_setaffinity|pthread_setaffinity_np|setpriority|nice|setuid|chmod|unlink|rename)\s*\()"),
       "calls into the kernel or the file system beyond what the chapter needs",
       {}},
      {std::regex(R"(\b(asm|__asm__)\b)"), "assembly", {}},
  };
  return list;
}

// `line` without a // comment (a rough cut: a "//" in a string ends the line too).
std::string_view code_of(std::string_view line) {
  const auto comment = line.find("//");
  line = line.substr(0, comment);
  const auto first = line.find_first_not_of(" \t");
  if (first == std::string_view::npos || line.substr(first).starts_with("*")) return {};
  return line;
}

}  // namespace

std::vector<std::string> for_the_teacher(const std::filesystem::path& folder, int chapter,
                                         const std::filesystem::path& source_dir) {
  std::vector<std::string> found;
  for (const auto& file : exercise_files(folder)) {
    std::ifstream in(file);
    std::string line;
    for (int number = 1; std::getline(in, line); ++number) {
      const std::string code(code_of(line));
      for (const Suspect& suspect : suspects()) {
        std::smatch match;
        if (suspect.taught_in.contains(chapter) || !std::regex_search(code, match, suspect.pattern))
          continue;
        found.push_back(fmt::format("{}:{}: {} — {}", file.lexically_relative(source_dir).string(),
                                    number, match[0].str(), suspect.why));
        break;  // one reason a line is enough
      }
    }
  }
  return found;
}

std::vector<std::string> forbidden_macros(const std::filesystem::path& folder,
                                          const std::filesystem::path& source_dir) {
  const auto files = exercise_files(folder);
  static const std::regex kMacro(R"(^\s*#\s*(define|undef)\s+([A-Za-z_][A-Za-z_0-9]*))");
  std::vector<std::string> found;
  for (const auto& file : files) {
    std::ifstream in(file);
    std::string line;
    for (int number = 1; std::getline(in, line); ++number) {
      std::smatch match;
      if (!std::regex_search(line, match, kMacro)) continue;
      const std::string name = match[2];
      const auto why = why_not(name);
      if (why.empty()) continue;
      found.push_back(fmt::format("{}:{}: #{} {} — {}",
                                  file.lexically_relative(source_dir).string(), number,
                                  match[1].str(), name, why));
    }
  }
  return found;
}

}  // namespace grader
