// Which sanitizer the tests were built with: speed is not judged under one, and deadlines are
// stretched by its slowdown.
#pragma once

#include <string_view>

namespace course {

// "thread", "address" or "" for none.
std::string_view sanitizer();

}  // namespace course
