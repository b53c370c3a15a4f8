#include "rubric.hpp"

#include <algorithm>
#include <array>
#include <set>

#include <fmt/format.h>

#include "toml_fields.hpp"

namespace grader {
namespace {

constexpr std::array<std::string_view, 4> kVisibilities{"visible", "hidden", "after_due_date",
                                                        "after_published"};

std::string visibility(const std::filesystem::path& file, const toml::table& table,
                       std::string fallback) {
  auto value = optional_field<std::string>(file, table, "visibility", "a string");
  if (!value) return fallback;
  if (std::find(kVisibilities.begin(), kVisibilities.end(), *value) == kVisibilities.end()) {
    throw toml_error(file, table.source(),
                     fmt::format("visibility '{}' is not one of visible, hidden, after_due_date, "
                                 "after_published",
                                 *value));
  }
  return *value;
}

}  // namespace

double Rubric::max_points() const {
  double total = 0;
  for (const auto& exercise : exercises) {
    for (const auto& test : exercise.tests) total += test.points;
  }
  return total;
}

std::vector<const RubricTest*> Rubric::tests() const {
  std::vector<const RubricTest*> all;
  for (const auto& exercise : exercises) {
    for (const auto& test : exercise.tests) all.push_back(&test);
  }
  return all;
}

Rubric read_rubric(const std::filesystem::path& file) {
  if (!std::filesystem::exists(file)) {
    throw std::runtime_error(fmt::format("{}: the rubric is missing", file.string()));
  }
  const toml::table table = parse_toml(file);
  Rubric rubric;
  rubric.chapter =
      static_cast<int>(required_field<std::int64_t>(file, table, "chapter", "an integer"));
  rubric.title = required_field<std::string>(file, table, "title", "a string");
  const toml::array* exercises = table["exercise"].as_array();
  if (exercises == nullptr || exercises->empty()) {
    throw toml_error(file, table.source(), "no [[exercise]] is listed");
  }
  std::set<std::string> seen_tests;
  std::set<std::string> seen_exercises;
  for (const toml::node& exercise_node : *exercises) {
    const toml::table* exercise_table = exercise_node.as_table();
    if (exercise_table == nullptr)
      throw toml_error(file, exercise_node.source(), "an exercise must be a table");
    Exercise exercise;
    exercise.id = required_field<std::string>(file, *exercise_table, "id", "a string like \"1.1\"");
    exercise.title = required_field<std::string>(file, *exercise_table, "title", "a string");
    if (!seen_exercises.insert(exercise.id).second) {
      throw toml_error(file, exercise_table->source(),
                       fmt::format("exercise {} is listed twice", exercise.id));
    }
    const std::string exercise_visibility = visibility(file, *exercise_table, "visible");
    const toml::array* tests = (*exercise_table)["tests"].as_array();
    if (tests == nullptr || tests->empty()) {
      throw toml_error(file, exercise_table->source(),
                       fmt::format("exercise {} lists no tests", exercise.id));
    }
    for (const toml::node& test_node : *tests) {
      const toml::table* test_table = test_node.as_table();
      if (test_table == nullptr) {
        throw toml_error(file, test_node.source(),
                         "a test must be a table: { name = \"Suite.Test\", points = 1 }");
      }
      RubricTest test;
      test.name =
          required_field<std::string>(file, *test_table, "name", "a string like \"Suite.Test\"");
      if (std::count(test.name.begin(), test.name.end(), '.') != 1) {
        throw toml_error(
            file, test_table->source(),
            fmt::format("test '{}' must be named Suite.Test, as gtest names it", test.name));
      }
      test.exercise = exercise.id;
      test.points = required_field<double>(file, *test_table, "points", "a number");
      if (test.points < 0) {
        throw toml_error(file, test_table->source(),
                         fmt::format("test {} has negative points", test.name));
      }
      test.timing =
          optional_field<bool>(file, *test_table, "timing", "true or false").value_or(false);
      test.visibility = visibility(file, *test_table, exercise_visibility);
      if (!seen_tests.insert(test.name).second) {
        throw toml_error(file, test_table->source(),
                         fmt::format("test {} is listed twice", test.name));
      }
      exercise.tests.push_back(std::move(test));
    }
    rubric.exercises.push_back(std::move(exercise));
  }
  return rubric;
}

}  // namespace grader
