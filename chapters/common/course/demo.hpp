// course::run_demo — the main() of every demo program.
//
// A demo calls the student's code. Until the exercise it needs is done, that code throws
// course::NotImplemented; run_demo turns that into one clear line instead of a crash.
#pragma once

#include <cstdio>
#include <exception>

#include <course/not_implemented.hpp>

namespace course {

template <class Body>
int run_demo(Body&& body) {
  try {
    body();
    return 0;
  } catch (const NotImplemented& missing) {
    std::fprintf(stderr, "\nThis demo needs an exercise you have not done yet:\n  %s\n",
                 missing.what());
  } catch (const std::exception& error) {
    std::fprintf(stderr, "\nThe demo stopped with an error: %s\n", error.what());
  }
  return 1;
}

}  // namespace course
