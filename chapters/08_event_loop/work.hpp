// Exercise 8.4: work off the loop — libuv's thread pool, for what would block the loop.
#pragma once

#include <exception>
#include <functional>

#include "loop.hpp"

namespace uvx {

// Exercise 8.4 — runs `work` on libuv's thread pool (uv_queue_work: 4 threads unless
// UV_THREADPOOL_SIZE says otherwise), then `done` on the loop's thread: with nullptr when the
// work returned, with the exception when it threw. Meanwhile the loop goes on with its other
// callbacks; the pending work keeps it running until `done` has run. This is what asyncio's
// run_in_executor and Node's fs functions do with a blocking call: the call blocks a pool thread
// and not the loop. `done` must not throw (it is called from libuv's C code).
void queue_work(Loop& loop, std::function<void()> work,
                std::function<void(std::exception_ptr)> done);

}  // namespace uvx
