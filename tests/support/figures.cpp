#include <cstdio>
#include <string>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <course/figures.hpp>

namespace course {

void record_figure(std::string_view name, std::string_view value, std::string_view requirement) {
  const std::string key = fmt::format("course.figure.{}", name);
  ::testing::Test::RecordProperty(key, std::string(value));
  if (!requirement.empty()) {
    ::testing::Test::RecordProperty(key + ".requirement", std::string(requirement));
    fmt::print("[   FIGURE ] {} = {} (needs {})\n", name, value, requirement);
  } else {
    fmt::print("[   FIGURE ] {} = {}\n", name, value);
  }
  std::fflush(stdout);
}

void record_unjudged(std::string_view name, std::string_view value, std::string_view why) {
  const std::string key = fmt::format("course.figure.{}", name);
  ::testing::Test::RecordProperty(key, std::string(value));
  ::testing::Test::RecordProperty(key + ".not_judged", std::string(why));
  fmt::print("[   FIGURE ] {} = {} (not judged: {})\n", name, value, why);
  std::fflush(stdout);
}

}  // namespace course
