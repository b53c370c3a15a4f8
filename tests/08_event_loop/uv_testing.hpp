// What chapter 8's tests share: the check that a loop ends clean, and traces of what ran.
#pragma once

#include <chrono>
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

// Runs `loop` until it ends by itself — nothing active any more — or `deadline` passes (then the
// loop is stopped, with what kept it running named). The deadline is an unreferenced timer: it
// does not itself keep the loop alive.
inline ::testing::AssertionResult ends_by_itself(uvx::Loop& loop,
                                                 std::chrono::milliseconds deadline) {
  struct Deadline {
    uv_timer_t timer{};
    bool passed = false;
  } guard;
  guard.timer.data = &guard;
  uv_timer_init(loop.get(), &guard.timer);
  uv_timer_start(
      &guard.timer,
      [](uv_timer_t* timer) {
        static_cast<Deadline*>(timer->data)->passed = true;
        uv_stop(timer->loop);
      },
      static_cast<std::uint64_t>(deadline.count()), 0);
  uv_unref(reinterpret_cast<uv_handle_t*>(&guard.timer));
  loop.run();
  uv_close(reinterpret_cast<uv_handle_t*>(&guard.timer), nullptr);
  const Strings open = loop.open_handles();
  loop.run_once_without_waiting();  // the timer's close callback: `guard` may go
  if (!guard.passed) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << "the loop was still running after " << deadline.count()
         << " ms — still open: " << fmt::format("{}", fmt::join(open, ", "))
         << ". When everything is stopped, every handle must be closed: an open handle that is "
            "active (a listener, a socket being read, a signal watcher, an async) keeps uv_run "
            "going";
}

}  // namespace uv_testing
