// Every test runs under a deadline. A test that deadlocks (joins a thread that never ends, waits
// on a condition variable nobody signals) or loops forever is stopped by a watchdog thread that
// prints which test was stuck, how long it had and any notes the test left, then ends the test
// process with exit code 124. The other tests go on: ctest and the grader run each test in a
// process of its own.
//
// The deadline is 5 s unless a test sets another, stretched by COURSE_TIME_SCALE and, under a
// sanitizer, by the sanitizer's slowdown.
#pragma once

#include <chrono>
#include <functional>
#include <string>

#include <course/time_scale.hpp>

namespace course {

// The exit code of a test process stopped by its deadline.
inline constexpr int kDeadlineExitCode = 124;

// The deadline a test gets unless it sets another (already stretched).
Millis default_deadline();

// What a budget becomes here: stretched by COURSE_TIME_SCALE and the sanitizer's slowdown.
Millis stretched(std::chrono::milliseconds budget);

// Gives the running test `budget` (stretched like the default) from now on.
void set_deadline(std::chrono::milliseconds budget);

// A note printed if the running test misses its deadline while the note exists: what the test
// is waiting for in this scope, or a timeline of what ran so far.
//
//   {
//     const course::DeadlineNote note("close() left consumers waiting: wake every one");
//     queue.close();
//   }  // from here on, a hang is somebody else's
//
// A note made from a function is called on the watchdog's thread while the test's threads are
// stuck, so it must not wait for them; it is given one second.
class [[nodiscard]] DeadlineNote {
 public:
  explicit DeadlineNote(std::string text);
  explicit DeadlineNote(std::function<std::string()> note);
  DeadlineNote(const DeadlineNote&) = delete;
  DeadlineNote& operator=(const DeadlineNote&) = delete;
  ~DeadlineNote();

 private:
  long id_;
};

}  // namespace course
