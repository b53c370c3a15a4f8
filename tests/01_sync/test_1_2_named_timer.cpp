// Exercise 1.2: named_timer, the notebooks' timer decorator.
#include <algorithm>
#include <cctype>
#include <iomanip>
#include <sstream>
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include <course/testing.hpp>

#include "timed.hpp"

namespace {

using namespace std::chrono_literals;
using synchronous::named_timer;

const auto kNap = course::scaled(20ms);

// "20.13": digits, a point, two digits.
bool is_two_decimals(std::string_view number) {
  const auto point = number.find('.');
  return point != std::string_view::npos && point > 0 && number.size() - point == 3 &&
         std::all_of(number.begin(), number.end(),
                     [](char c) { return std::isdigit(c) || c == '.'; }) &&
         std::count(number.begin(), number.end(), '.') == 1;
}

// The milliseconds of every "<name> elapsed time: <ms> ms" line in `log`; a failure, with the
// text, if anything else is there.
::testing::AssertionResult parse_log(const std::string& log, const std::string& name,
                                     std::vector<double>& millis) {
  if (!log.empty() && log.back() != '\n') {
    return ::testing::AssertionFailure()
           << "every line must end with a newline ('\\n'), but the log ends with "
           << std::quoted(log.substr(log.size() - std::min<std::size_t>(log.size(), 30)));
  }
  const std::string prefix = name + " elapsed time: ";
  const std::string suffix = " ms";
  std::istringstream lines(log);
  std::string text;
  while (std::getline(lines, text)) {
    const bool framed = text.size() > prefix.size() + suffix.size() && text.starts_with(prefix) &&
                        text.ends_with(suffix);
    const std::string number =
        framed ? text.substr(prefix.size(), text.size() - prefix.size() - suffix.size()) : "";
    if (!is_two_decimals(number)) {
      return ::testing::AssertionFailure()
             << "expected lines like \"" << name << " elapsed time: 20.13 ms\" (two decimals), "
             << "but the log has " << std::quoted(text);
    }
    millis.push_back(std::stod(number));
  }
  return ::testing::AssertionSuccess();
}

TEST(NamedTimer, WritesTheNameAndTheTimeAndReturnsTheResult) {
  std::ostringstream log;
  auto add = named_timer(
      "add",
      [](int a, int b) {
        std::this_thread::sleep_for(kNap);
        return a + b;
      },
      log);
  EXPECT_EQ(add(2, 3), 5) << "the wrapper must return what the wrapped callable returned";
  std::vector<double> millis;
  ASSERT_TRUE(parse_log(log.str(), "add", millis));
  ASSERT_EQ(millis.size(), 1U) << "one call writes exactly one line; the log is:\n" << log.str();
  EXPECT_GE(millis[0], course::Millis(kNap).count())
      << "the call slept " << course::format_millis(kNap) << ", so the line cannot say less";
}

TEST(NamedTimer, WritesOneLinePerCall) {
  std::ostringstream log;
  auto square = named_timer(
      "square", [](int x) { return x * x; }, log);
  EXPECT_EQ(square(3), 9);
  EXPECT_EQ(square(4), 16);
  EXPECT_EQ(square(5), 25);
  std::vector<double> millis;
  ASSERT_TRUE(parse_log(log.str(), "square", millis));
  EXPECT_EQ(millis.size(), 3U) << "three calls write three lines; the log is:\n" << log.str();
}

TEST(NamedTimer, WorksForCallablesThatReturnNothing) {
  std::ostringstream log;
  int calls = 0;
  auto tick = named_timer(
      "tick", [&calls] { ++calls; }, log);
  tick();
  EXPECT_EQ(calls, 1) << "the wrapper must call the wrapped callable";
  std::vector<double> millis;
  ASSERT_TRUE(parse_log(log.str(), "tick", millis));
  EXPECT_EQ(millis.size(), 1U);
}

}  // namespace
