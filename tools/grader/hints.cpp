#include "hints.hpp"

#include <fstream>
#include <regex>
#include <stdexcept>

#include <fmt/format.h>

namespace grader {
namespace {

// A Markdown heading's level (the number of '#'), or 0 for any other line.
std::size_t heading_level(const std::string& line) {
  const auto hashes = line.find_first_not_of('#');
  if (hashes == 0 || hashes == std::string::npos || line[hashes] != ' ') return 0;
  return hashes;
}

}  // namespace

std::optional<ExerciseHints> read_hints(const std::filesystem::path& lesson,
                                        const std::string& id) {
  std::ifstream in(lesson);
  if (!in) throw std::runtime_error(fmt::format("cannot read the lesson {}", lesson.string()));
  static const std::regex kSummary(R"(<details>\s*<summary>(.*)</summary>(.*))");
  const std::string opening = "Exercise " + id + " ";
  std::optional<ExerciseHints> found;
  std::size_t level = 0;
  std::optional<Hint> open;  // a <details> block being read
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    const std::size_t this_level = heading_level(line);
    if (!found) {
      if (this_level > 0 && line.compare(this_level + 1, opening.size(), opening) == 0) {
        found = ExerciseHints{line.substr(this_level + 1), number, {}};
        level = this_level;
      }
      continue;
    }
    if (!open && this_level > 0 && this_level <= level) break;  // the next section
    std::smatch match;
    if (!open && std::regex_search(line, match, kSummary)) {
      open = Hint{match[1].str(), match[2].str()};
    } else if (open && line.find("</details>") != std::string::npos) {
      open->text += line.substr(0, line.find("</details>"));
      while (!open->text.empty() && (open->text.front() == '\n' || open->text.front() == ' '))
        open->text.erase(0, 1);
      while (!open->text.empty() && (open->text.back() == '\n' || open->text.back() == ' '))
        open->text.pop_back();
      found->hints.push_back(std::move(*open));
      open.reset();
    } else if (open) {
      open->text += line + "\n";
    }
  }
  return found;
}

}  // namespace grader
