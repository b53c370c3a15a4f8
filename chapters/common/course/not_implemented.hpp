// course::NotImplemented — what every gap in a skeleton throws.
//
// A skeleton compiles and links as given; each function a student has to write throws this
// until it is written. The message names the exercise and points at the lesson, so the
// first failing test already says where to start:
//
//   exercise 1.3: fetch_all is not implemented yet — see chapters/01_sync/README.md
//   (TODO(1.3) in chapters/01_sync/users.cpp:31)
#pragma once

#include <cstdio>
#include <exception>
#include <mutex>
#include <set>
#include <string>
#include <string_view>

namespace course {

// The message of a NotImplemented thrown at `file`:`line`:
//   exercise 1.3: fetch_all is not implemented yet — see chapters/01_sync/README.md
//   (TODO(1.3) in chapters/01_sync/users.cpp:31)
inline std::string not_implemented_message(std::string_view exercise, std::string_view function,
                                           std::string_view file, unsigned line) {
  // The compiler gives an absolute path; show it from "chapters/" on, and find the chapter's
  // folder (the lesson is its README.md).
  if (const auto at = file.rfind("chapters/"); at != std::string_view::npos) {
    file.remove_prefix(at);
  }
  std::string lesson = "the chapter's README.md";
  if (const auto slash = file.find('/', std::string_view("chapters/").size());
      file.starts_with("chapters/") && slash != std::string_view::npos) {
    lesson = std::string(file.substr(0, slash)) + "/README.md";
  }
  std::string text = "exercise ";
  text.append(exercise).append(": ").append(function);
  text.append(" is not implemented yet — see ").append(lesson);
  text.append(" (TODO(").append(exercise).append(") in ").append(file);
  text.append(":").append(std::to_string(line)).append(")");
  return text;
}

class NotImplemented : public std::exception {
 public:
  // `exercise` is the exercise's number ("1.3"), `function` what is missing ("fetch_all").
  // `file` and `line` default to the place of the throw, which is where the TODO is.
  // (std::source_location would say the same, but clang 14 cannot compile libstdc++ 12's.)
  NotImplemented(std::string_view exercise, std::string_view function,
                 const char* file = __builtin_FILE(), unsigned line = __builtin_LINE())
      : message_(not_implemented_message(exercise, function, file, line)) {
    // Say it on stderr at once, too: a test that expects some other exception, or code that
    // catches everything, would otherwise hide which exercise is missing. The grader and
    // tools/ctest/explain-failures look for this line to report a test as "not started".
    std::fprintf(stderr, "[not implemented] %s\n", message_.c_str());
  }

  [[nodiscard]] const char* what() const noexcept override { return message_.c_str(); }

 private:
  std::string message_;
};

// For a gap where nothing may be thrown (a destructor, a noexcept function): says on stderr,
// once per function, that the exercise is missing — as a NotImplemented would — and returns.
inline void report_not_implemented(std::string_view exercise, std::string_view function,
                                   const char* file = __builtin_FILE(),
                                   unsigned line = __builtin_LINE()) noexcept {
  static std::mutex mutex;
  static std::set<std::string, std::less<>> said;
  const std::lock_guard lock(mutex);
  if (said.insert(std::string(function)).second) {
    std::fprintf(stderr, "[not implemented] %s\n",
                 not_implemented_message(exercise, function, file, line).c_str());
  }
}

}  // namespace course
