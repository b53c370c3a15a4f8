#include "manifest.hpp"

#include <fmt/format.h>

#include "toml_fields.hpp"

namespace grader {

Manifest read_manifest(const std::filesystem::path& build_dir) {
  const auto file = build_dir / "course-manifest.toml";
  if (!std::filesystem::exists(file)) {
    throw std::runtime_error(
        fmt::format("{} is missing: {} is not a configured build tree (run tools/grade, or cmake "
                    "--preset student)",
                    file.string(), build_dir.string()));
  }
  const toml::table table = parse_toml(file);
  const auto text = [&](const toml::table& from, std::string_view key) {
    return required_field<std::string>(file, from, key, "a string");
  };
  Manifest manifest;
  manifest.source_dir = text(table, "source_dir");
  manifest.build_dir = text(table, "build_dir");
  manifest.source_tree = text(table, "source_tree");
  manifest.sanitizer = text(table, "sanitizer");
  manifest.build_type = text(table, "build_type");
  manifest.compiler = text(table, "compiler");
  if (const toml::array* chapters = table["chapters"].as_array()) {
    for (const toml::node& node : *chapters) {
      const toml::table* chapter = node.as_table();
      if (chapter == nullptr) throw toml_error(file, node.source(), "a chapter must be a table");
      manifest.chapters.push_back(ChapterInfo{
          static_cast<int>(required_field<std::int64_t>(file, *chapter, "number", "an integer")),
          text(*chapter, "folder"), text(*chapter, "target"), text(*chapter, "tests"),
          text(*chapter, "rubric"), text(*chapter, "lesson")});
    }
  }
  return manifest;
}

}  // namespace grader
