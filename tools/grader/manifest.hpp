// The build tree's course-manifest.toml (written by CMake): where each chapter's build target,
// test program, rubric and lesson are, and how the tree was configured.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace grader {

struct ChapterInfo {
  int number = 0;
  std::string folder;            // "01_sync"
  std::string target;            // "chapter1": builds all the chapter needs
  std::filesystem::path tests;   // the chapter's test program
  std::filesystem::path rubric;  // tests/01_sync/rubric.toml
  std::string lesson;            // "chapters/01_sync/README.md", from the source dir
};

struct Manifest {
  std::filesystem::path source_dir;
  std::filesystem::path build_dir;
  std::string source_tree;  // "chapters" or "solutions"
  std::string sanitizer;    // "", "thread" or "address"
  std::string build_type;
  std::string compiler;
  std::vector<ChapterInfo> chapters;
};

// Reads <build_dir>/course-manifest.toml; throws std::runtime_error saying what is wrong.
Manifest read_manifest(const std::filesystem::path& build_dir);

}  // namespace grader
