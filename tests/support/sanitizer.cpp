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

#ifdef COURSE_THREAD_SANITIZER
// ThreadSanitizer's defaults for every test program: it waits 1 s at exit by default, for the
// threads still running to show their races; the course's tests join their threads, and a
// second per test process would triple the time of a sanitizer run. Lock-order reports show
// both stacks.
extern "C" const char* __tsan_default_options() {
  return "atexit_sleep_ms=50:second_deadlock_stack=1";
}
#endif
