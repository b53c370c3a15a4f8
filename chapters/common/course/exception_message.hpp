// course::exception_message — what an exception_ptr holds, as text: its what(), for the places
// that report an exception they did not throw themselves (a loop's default handler, a demo, a
// test's message).
#pragma once

#include <exception>
#include <string>

namespace course {

inline std::string exception_message(const std::exception_ptr& error) {
  if (!error) return "(no exception)";
  try {
    std::rethrow_exception(error);
  } catch (const std::exception& e) {
    return e.what();
  } catch (...) {
    return "(not a std::exception)";
  }
}

}  // namespace course
