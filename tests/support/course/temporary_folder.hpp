// course::TemporaryFolder — a folder of a test's own under the system's temporary folder, removed
// with all it holds when the object goes: for the tests that write files (the support library's
// own, the grader's).
#pragma once

#include <cerrno>
#include <filesystem>
#include <string>
#include <string_view>
#include <system_error>

#include <stdlib.h>  // mkdtemp

namespace course {

class TemporaryFolder {
 public:
  // /tmp/PREFIX-XXXXXX, the X's made unique.
  explicit TemporaryFolder(std::string_view prefix = "course") {
    std::string pattern =
        (std::filesystem::temp_directory_path() / (std::string(prefix) + "-XXXXXX")).string();
    if (::mkdtemp(pattern.data()) == nullptr) {
      throw std::system_error(errno, std::generic_category(), "mkdtemp " + pattern);
    }
    path_ = pattern;
  }
  TemporaryFolder(const TemporaryFolder&) = delete;
  TemporaryFolder& operator=(const TemporaryFolder&) = delete;
  // (A destructor must not throw: what cannot be removed stays.)
  ~TemporaryFolder() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }

  [[nodiscard]] const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace course
