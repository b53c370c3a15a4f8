// Exercise 8.1: the loop, owned.
#pragma once

#include <string>
#include <vector>

#include <uv.h>

namespace uvx {

// Exercise 8.1 — owns a libuv loop (the uv_loop_t lives inside this object). The loop runs the
// callbacks of its handles — timers, sockets, signals — on the thread that calls run(), one at
// a time, until none is active. At the end every handle must be closed and its close callback
// run: only then does uv_loop_close return 0 and free the loop's resources.
class Loop {
 public:
  Loop();  // uv_loop_init
  // Closes what is still open (uv_walk), runs the loop until their close callbacks have run,
  // then closes the loop. A test checks close() == 0 first: the destructor only cleans up.
  ~Loop();
  Loop(const Loop&) = delete;
  Loop& operator=(const Loop&) = delete;

  [[nodiscard]] uv_loop_t* get() noexcept { return &loop_; }

  // uv_run(UV_RUN_DEFAULT): until no handle is active and no request pending. Gives whether
  // anything is still active (after uv_stop).
  bool run();
  // One turn (UV_RUN_NOWAIT): what is due now, without waiting.
  bool run_once_without_waiting();

  // The handles open and not closing, as "timer", "tcp", ... (uv_walk, uv_handle_type_name):
  // what a leak leaves behind.
  [[nodiscard]] std::vector<std::string> open_handles();

  // uv_loop_close now: 0 when every handle is closed, UV_EBUSY when one is still open. After 0
  // the loop is closed for good and the destructor has nothing to do.
  int close();

 private:
  uv_loop_t loop_{};
  bool closed_ = false;
};

}  // namespace uvx
