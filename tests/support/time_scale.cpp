#include <cmath>
#include <cstdlib>
#include <string_view>

#include <fmt/format.h>

#include <course/time_scale.hpp>

namespace course {
namespace {

constexpr double kMaxScale = 100.0;

// The variable's value, or nothing when unset or empty.
std::optional<std::string_view> raw_time_scale() {
  const char* text = std::getenv("COURSE_TIME_SCALE");
  if (text == nullptr || *text == '\0') return std::nullopt;
  return std::string_view(text);
}

// The parsed factor, or nothing when the text is not a number in (0, kMaxScale].
std::optional<double> parse_scale(std::string_view text) {
  const std::string copy(text);
  char* end = nullptr;
  const double value = std::strtod(copy.c_str(), &end);
  if (end == copy.c_str() || *end != '\0' || !std::isfinite(value) || value <= 0 ||
      value > kMaxScale) {
    return std::nullopt;
  }
  return value;
}

}  // namespace

std::optional<std::string> time_scale_problem() {
  const auto text = raw_time_scale();
  if (!text || parse_scale(*text)) return std::nullopt;
  return fmt::format(
      "COURSE_TIME_SCALE is '{}', but it must be a number above 0 and at most {} "
      "(e.g. 2 makes every duration and deadline twice as long)",
      *text, kMaxScale);
}

double time_scale() {
  static const double scale = [] {
    const auto text = raw_time_scale();
    return text ? parse_scale(*text).value_or(1.0) : 1.0;
  }();
  return scale;
}

std::string format_millis(Millis d) {
  if (d.count() >= 1000) return fmt::format("{:.2f} s", d.count() / 1000);
  return fmt::format("{:.1f} ms", d.count());
}

}  // namespace course
