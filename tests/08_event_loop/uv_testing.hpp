// What chapter 8's tests share: the check that a loop ends clean, and traces of what ran.
#pragma once

#include <string>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <gtest/gtest.h>
#include <uv.h>

#include "loop.hpp"

namespace uv_testing {

using Strings = std::vector<std::string>;

// uv_loop_close(loop) == 0, or what was still open.
inline ::testing::AssertionResult closes_cleanly(uvx::Loop& loop) {
  const Strings open = loop.open_handles();
  const int status = loop.close();
  if (status == 0) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << "uv_loop_close gave " << uv_err_name(status) << " — still open: "
         << (open.empty() ? std::string("(none open, but some still closing)")
                          : fmt::format("{}", fmt::join(open, ", ")))
         << ". Every handle must be closed (uv_close) and the loop run again until its close "
            "callback has run";
}

}  // namespace uv_testing
