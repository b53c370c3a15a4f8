#include <course/sanitizer.hpp>

namespace course {

std::string_view sanitizer() {
  // Defined by the build (tools/cmake/CourseBuildFlags.cmake) for a sanitizer tree.
#ifdef COURSE_SANITIZER
  return COURSE_SANITIZER;
#else
  return "";
#endif
}

}  // namespace course
