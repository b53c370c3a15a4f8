#include "result_channel.hpp"

#include <cerrno>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>

#include <fcntl.h>
#include <unistd.h>

#include <gtest/gtest.h>

namespace course::detail {
namespace {

class ResultChannel : public ::testing::EmptyTestEventListener {
 public:
  explicit ResultChannel(int fd) : fd_(fd), test_program_(::getpid()) {}

  void OnTestStart(const ::testing::TestInfo& test) override {
    say("start " + name_of(test) + "\n");
  }
  void OnTestEnd(const ::testing::TestInfo& test) override {
    const ::testing::TestResult& result = *test.result();
    const char* how = result.Skipped() ? "skipped" : result.Passed() ? "passed" : "failed";
    say("end " + name_of(test) + " " + how + "\n");
  }

 private:
  static std::string name_of(const ::testing::TestInfo& test) {
    return std::string(test.test_suite_name()) + "." + test.name();
  }
  // One write per line: the pipe keeps a line of under PIPE_BUF bytes whole. Only the test
  // program speaks: a child it forked that runs on in the test's code is not the test.
  void say(const std::string& line) const {
    if (::getpid() != test_program_) return;
    std::string_view rest = line;
    while (!rest.empty()) {
      const auto written = ::write(fd_, rest.data(), rest.size());
      if (written < 0 && errno == EINTR) continue;
      if (written <= 0) return;  // the grader is gone: nobody to tell
      rest.remove_prefix(static_cast<std::size_t>(written));
    }
  }

  int fd_;
  pid_t test_program_;
};

}  // namespace

void install_result_channel() {
  const char* text = std::getenv(kResultsFdVariable);
  if (text == nullptr) return;
  const int fd = std::atoi(text);
  ::unsetenv(kResultsFdVariable);
  if (fd < 0 || ::fcntl(fd, F_SETFD, FD_CLOEXEC) != 0) return;
  // gtest takes ownership of the listeners it is given.
  ::testing::UnitTest::GetInstance()->listeners().Append(
      std::make_unique<ResultChannel>(fd).release());
}

}  // namespace course::detail
