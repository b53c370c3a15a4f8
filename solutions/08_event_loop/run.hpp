// Exercise 8.5: run a task on a libuv loop until it is done.
#pragma once

#include <stdexcept>

#include <uv.h>

#include "loop.hpp"
#include "task.hpp"

namespace uvx {

// Exercise 8.5 — asyncio's run_until_complete on libuv: starts `task`, then turns the loop
// (uv_run, UV_RUN_ONCE: one wait for events, and their callbacks) until the task is done; gives
// its value or rethrows its exception. If the loop runs out of work first — nothing active: no
// timer, no socket read, no request — nothing can ever resume the task: that is an error
// (std::logic_error), not a hang. Other handles may stay open after it (they are the caller's).
template <class T>
T run(Loop& loop, Task<T> task) {
  task.start();
  while (!task.done()) {
    if (uv_run(loop.get(), UV_RUN_ONCE) == 0 && !task.done()) {
      throw std::logic_error(
          "uvx::run: the loop has nothing left to do and the task is not done — it awaits "
          "something that no timer, socket or request of the loop will ever complete");
    }
  }
  return task.result();
}

}  // namespace uvx
