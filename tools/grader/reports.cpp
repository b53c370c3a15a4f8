#include "reports.hpp"

#include <array>
#include <fstream>
#include <stdexcept>
#include <utility>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <course/machine.hpp>

#include "scoreboard.hpp"

namespace grader {
namespace {

// The code point at the start of `text` and its length in bytes, or a length of 0 when the bytes
// there are not UTF-8 (a stray byte, an overlong form, a surrogate, beyond U+10FFFF).
std::pair<char32_t, std::size_t> decode(std::string_view text) {
  const auto byte = [&text](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char lead = byte(0);
  if (lead < 0x80) return {lead, 1};
  const std::size_t length = (lead >> 5) == 0x6    ? 2
                             : (lead >> 4) == 0xE  ? 3
                             : (lead >> 3) == 0x1E ? 4
                                                   : 0;
  if (length == 0 || length > text.size()) return {0, 0};
  char32_t point = lead & (0x7F >> length);
  for (std::size_t k = 1; k < length; ++k) {
    if ((byte(k) >> 6) != 0x2) return {0, 0};
    point = (point << 6) | (byte(k) & 0x3F);
  }
  constexpr std::array<char32_t, 5> kSmallest = {0, 0, 0x80, 0x800, 0x10000};
  if (point < kSmallest[length] || point > 0x10FFFF || (point >= 0xD800 && point <= 0xDFFF)) {
    return {0, 0};
  }
  return {point, length};
}

// Whether XML 1.0 can hold the character at all (its Char production).
bool xml_char(char32_t point) {
  return point == 0x9 || point == 0xA || point == 0xD || (point >= 0x20 && point <= 0xD7FF) ||
         (point >= 0xE000 && point <= 0xFFFD) || (point >= 0x10000 && point <= 0x10FFFF);
}

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD REPLACEMENT CHARACTER

using nlohmann::json;

json figures_json(const Outcome& outcome) {
  json figures = json::array();
  for (const auto& figure : outcome.figures) {
    figures.push_back({{"name", figure.name}, {"value", figure.value}, {"note", figure.note}});
  }
  return figures;
}

std::string dump(const json& document) {
  // Test output can hold any bytes; replace what is not UTF-8 rather than fail.
  return document.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

// Escapes text for XML 1.0: what is not UTF-8 becomes U+FFFD, and what XML cannot hold at all
// (control characters, U+FFFE and U+FFFF) is left out.
std::string xml(std::string_view text) {
  std::string out;
  const std::string valid = valid_utf8(text);
  std::string_view rest = valid;
  while (!rest.empty()) {
    const auto [point, length] = decode(rest);
    switch (point) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        if (xml_char(point)) out.append(rest.substr(0, length));
    }
    rest.remove_prefix(length);
  }
  return out;
}

std::string seconds(std::chrono::milliseconds time) {
  return fmt::format("{:.3f}", time.count() / 1000.0);
}

double total(const GradingRun& run, double (ChapterResult::*part)() const) {
  double sum = 0;
  for (const auto& chapter : run.chapters) sum += (chapter.*part)();
  return sum;
}

}  // namespace

std::string valid_utf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  while (!text.empty()) {
    const auto [point, length] = decode(text);
    if (length == 0) {
      out += kReplacement;
      text.remove_prefix(1);
    } else {
      out.append(text.substr(0, length));
      text.remove_prefix(length);
    }
  }
  return out;
}

std::string printable(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  while (!text.empty()) {
    const auto [point, length] = decode(text);
    if (length == 0) {
      out += kReplacement;
      text.remove_prefix(1);
      continue;
    }
    // C0 and C1 controls and DEL, but for newline and tab.
    const bool control = point < 0x20 || point == 0x7F || (point >= 0x80 && point <= 0x9F);
    if (!control || point == '\n' || point == '\t') out.append(text.substr(0, length));
    text.remove_prefix(length);
  }
  return out;
}

std::string json_report(const GradingRun& run) {
  const Manifest& manifest = *run.manifest;
  json machine = {{"cores", course::usable_cores()},
                  {"compiler", manifest.compiler},
                  {"build_type", manifest.build_type},
                  {"sanitizer", manifest.sanitizer}};
  if (const auto model = course::cpu_model()) machine["cpu"] = *model;
  if (const auto load = course::load_average()) machine["load_average"] = *load;
  json chapters = json::array();
  for (const auto& chapter : run.chapters) {
    json tests = json::array();
    for (const auto& result : chapter.tests) {
      const Outcome& outcome = result.outcome;
      json test = {{"name", result.test.name},
                   {"exercise", result.test.exercise},
                   {"points", result.test.points},
                   {"score", result.score()},
                   {"verdict", std::string(verdict_name(outcome.verdict))},
                   {"message", outcome.message},
                   {"timing", result.test.timing},
                   {"attempts", outcome.attempts},
                   {"elapsed_ms", outcome.elapsed.count()},
                   {"figures", figures_json(outcome)},
                   {"visibility", result.test.visibility}};
      if (outcome.other_load >= 0) {
        test["other_load"] = outcome.other_load;
        test["busy_machine"] = machine_was_busy(outcome.other_load);
      }
      // The trace of its spans a failed test wrote (graded with -v), for ui.perfetto.dev.
      if (!outcome.trace.empty()) test["trace"] = outcome.trace.string();
      tests.push_back(std::move(test));
    }
    json entry = {{"number", chapter.info.number},
                  {"folder", chapter.info.folder},
                  {"title", chapter.rubric.title},
                  {"score", chapter.score()},
                  {"max_score", chapter.max_points()},
                  {"skipped_points", chapter.skipped_points()},
                  {"built", chapter.built},
                  {"interrupted", chapter.interrupted},
                  {"other_load", chapter.other_load},
                  {"for_the_teacher", chapter.for_the_teacher},
                  {"tests", std::move(tests)}};
    if (!chapter.built) {
      entry["build_messages"] = chapter.build_messages;
      json alone = json::array();
      for (const auto& [exercise, program] : chapter.exercise_programs) alone.push_back(exercise);
      entry["exercises_built_alone"] = std::move(alone);
    }
    if (chapter.rubric_error) entry["rubric_error"] = *chapter.rubric_error;
    chapters.push_back(std::move(entry));
  }
  return dump({{"source_tree", manifest.source_tree},
               {"build_dir", manifest.build_dir.string()},
               {"machine", std::move(machine)},
               {"interrupted", run.interrupted},
               {"complete", run.complete},
               {"elapsed_ms", run.elapsed.count()},
               {"score", total(run, &ChapterResult::score)},
               {"max_score", total(run, &ChapterResult::max_points)},
               {"skipped_points", total(run, &ChapterResult::skipped_points)},
               {"chapters", std::move(chapters)}});
}

std::string gradescope_report(const GradingRun& run) {
  json tests = json::array();
  double score = 0;
  for (const auto& chapter : run.chapters) {
    for (const auto& result : chapter.tests) {
      const Outcome& outcome = result.outcome;
      const bool skipped = outcome.verdict == Verdict::skipped;
      std::string output = fmt::format("{}", verdict_name(outcome.verdict));
      if (!outcome.message.empty()) output += ": " + outcome.message;
      for (const auto& figure : outcome.figures) {
        output += "\n" + figure.text();
      }
      if (machine_was_busy(outcome.other_load))
        output += "\nwarning: the machine was busy while this test ran";
      score += result.score();
      tests.push_back(
          {{"name", fmt::format("chapter {}: {}", chapter.info.number, result.test.name)},
           {"number", result.test.exercise},
           {"score", result.score()},
           // A test that could not be checked here counts neither way.
           {"max_score", skipped ? 0.0 : result.test.points},
           {"status", outcome.verdict == Verdict::passed ? "passed" : "failed"},
           {"output", output},
           {"visibility", result.test.visibility}});
    }
  }
  std::string output = run.scoreboard;
  if (run.interrupted) {
    output += "\nThe grading was interrupted: only the tests above were graded.\n";
  } else if (!run.complete) {
    // Written before the first test and after each chapter: a grader that is killed leaves this,
    // never an older score or one a test wrote.
    output = "Grading incomplete: the grader did not finish (only the tests below were graded).\n" +
             output;
  }
  return dump({{"score", score},
               {"execution_time", run.elapsed.count() / 1000},
               {"output", output},
               {"output_format", "text"},
               {"test_output_format", "text"},
               {"tests", std::move(tests)}});
}

std::string junit_report(const GradingRun& run) {
  std::string suites;
  int all_tests = 0, all_failures = 0, all_errors = 0, all_skipped = 0;
  std::chrono::milliseconds all_time{0};
  for (const auto& chapter : run.chapters) {
    std::string cases;
    int failures = 0, errors = 0, skipped = 0;
    std::chrono::milliseconds time{0};
    for (const auto& result : chapter.tests) {
      const Outcome& outcome = result.outcome;
      const auto dot = result.test.name.find('.');
      std::string body;
      const std::string first_line = outcome.message.substr(0, outcome.message.find('\n'));
      switch (outcome.verdict) {
        case Verdict::passed:
          break;
        case Verdict::skipped:
          ++skipped;
          body = fmt::format("      <skipped message=\"{}\"/>\n", xml(first_line));
          break;
        case Verdict::failed:
        case Verdict::not_started:
        case Verdict::build_failed:
        case Verdict::missing:
        case Verdict::pending:
          ++failures;
          body = fmt::format("      <failure type=\"{}\" message=\"{}\">{}</failure>\n",
                             verdict_name(outcome.verdict), xml(first_line), xml(outcome.message));
          break;
        default:  // crashed, timed out, error: the test did not end by itself
          ++errors;
          body = fmt::format("      <error type=\"{}\" message=\"{}\">{}</error>\n",
                             verdict_name(outcome.verdict), xml(first_line), xml(outcome.message));
      }
      std::string out =
          fmt::format("exercise {}, {} point(s), scored {}\n", result.test.exercise,
                      format_points(result.test.points), format_points(result.score()));
      for (const auto& figure : outcome.figures) {
        out += figure.text() + "\n";
      }
      body += fmt::format("      <system-out>{}</system-out>\n", xml(out));
      cases += fmt::format(
          "    <testcase classname=\"chapter{}.{}\" name=\"{}\" time=\"{}\">\n{}    </testcase>\n",
          chapter.info.number, xml(result.test.name.substr(0, dot)),
          xml(result.test.name.substr(dot + 1)), seconds(outcome.elapsed), body);
      time += outcome.elapsed;
    }
    const int count = static_cast<int>(chapter.tests.size());
    suites += fmt::format(
        "  <testsuite name=\"chapter{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\" "
        "time=\"{}\">\n{}"
        "  </testsuite>\n",
        chapter.info.number, count, failures, errors, skipped, seconds(time), cases);
    all_tests += count;
    all_failures += failures;
    all_errors += errors;
    all_skipped += skipped;
    all_time += time;
  }
  return fmt::format(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<testsuites name=\"concurrency course\" tests=\"{}\" failures=\"{}\" errors=\"{}\" "
      "skipped=\"{}\" "
      "time=\"{}\">\n{}</testsuites>\n",
      all_tests, all_failures, all_errors, all_skipped, seconds(all_time), suites);
}

void write_report(const std::filesystem::path& file, const std::string& content) {
  const std::filesystem::path partial = file.string() + ".partial";
  {
    std::ofstream out(partial, std::ios::binary | std::ios::trunc);
    out << content;
    if (!out.flush()) throw std::runtime_error(fmt::format("cannot write {}", partial.string()));
  }
  std::filesystem::rename(partial, file);
}

}  // namespace grader
