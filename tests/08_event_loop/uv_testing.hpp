// What chapter 8's tests share: the check that a loop ends clean, and traces of what ran.
#pragma once

#include <chrono>
#include <exception>
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

// Runs what is due on `loop` — close callbacks first of all — without waiting for anything new:
// a few turns, fewer if the loop is done sooner. What is still open after it is a leak, for
// closes_cleanly to name (a plain uv_run would wait for it for ever).
inline void settle(uvx::Loop& loop) {
  for (int turn = 0; turn < 16 && uv_run(loop.get(), UV_RUN_NOWAIT) != 0; ++turn) {
  }
}

// Runs `loop` until it ends by itself — nothing active any more — or `deadline` passes (then the
// loop is stopped, with what kept it running named). The deadline is an unreferenced timer: it
// does not itself keep the loop alive. A loop stopped early (uv_stop) with handles still active
// has not ended either.
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
  const bool still_active = uv_run(loop.get(), UV_RUN_DEFAULT) != 0;
  uv_close(reinterpret_cast<uv_handle_t*>(&guard.timer), nullptr);
  uv_run(loop.get(), UV_RUN_NOWAIT);  // the timer's close callback: `guard` may go
  if (!still_active && !guard.passed) return ::testing::AssertionSuccess();
  std::string open;
  try {
    open = fmt::format("{}", fmt::join(loop.open_handles(), ", "));
  } catch (const std::exception& error) {  // a Loop not written yet: the caller must go on
    open = fmt::format("(unknown: {})", error.what());
  }
  return ::testing::AssertionFailure()
         << (guard.passed ? fmt::format("the loop was still running after {} ms", deadline.count())
                          : std::string("the loop was stopped (uv_stop) before it ended"))
         << " — still open: " << open
         << ". When everything is stopped, every handle must be closed: an open handle that is "
            "active (a listener, a socket being read, a signal watcher, an async) keeps uv_run "
            "going";
}

}  // namespace uv_testing
