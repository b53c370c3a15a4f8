// Reading fields of a toml++ table with errors that say which file, line and field.
#pragma once

#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include <fmt/format.h>
#include <toml++/toml.h>

namespace grader {

// "file:line: message"
inline std::runtime_error toml_error(const std::filesystem::path& file,
                                     const toml::source_region& where, std::string_view message) {
  return std::runtime_error(fmt::format("{}:{}: {}", file.string(), where.begin.line, message));
}

// Parses a TOML file, with the parser's own error message, file and line on failure.
inline toml::table parse_toml(const std::filesystem::path& file) {
  try {
    return toml::parse_file(file.string());
  } catch (const toml::parse_error& error) {
    throw std::runtime_error(
        fmt::format("{}:{}: {}", file.string(), error.source().begin.line, error.description()));
  }
}

// The value of `key` in `table` as T, nothing when absent, an error when of another type.
template <class T>
std::optional<T> optional_field(const std::filesystem::path& file, const toml::table& table,
                                std::string_view key, std::string_view type_name) {
  const toml::node* node = table.get(key);
  if (node == nullptr) return std::nullopt;
  if constexpr (std::is_same_v<T, double>) {
    if (const auto number = node->value<double>()) return *number;  // integers convert too
  } else {
    if (const auto value = node->value_exact<T>()) return *value;
  }
  throw toml_error(file, node->source(), fmt::format("'{}' must be {}", key, type_name));
}

template <class T>
T required_field(const std::filesystem::path& file, const toml::table& table, std::string_view key,
                 std::string_view type_name) {
  if (auto value = optional_field<T>(file, table, key, type_name)) return *value;
  throw toml_error(file, table.source(),
                   fmt::format("'{}' is missing ({} expected)", key, type_name));
}

}  // namespace grader
