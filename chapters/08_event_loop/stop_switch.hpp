// Exercise 8.3: what stops a server — a signal, or a request from another thread.
#pragma once

#include <functional>
#include <mutex>

#include <uv.h>

#include "handle.hpp"
#include "loop.hpp"

namespace uvx {

// Exercise 8.3 — calls `on_stop` once, on the loop's thread, at the first of: SIGINT (Ctrl-C),
// SIGTERM (what `kill` and service managers send), or request() from any thread. Then it
// closes its own handles — a uv_signal_t per signal and a uv_async_t — so that they no longer
// keep the loop running: a server stopped by it, once it has closed its own handles too, ends
// its loop with nothing left open.
class StopSwitch {
 public:
  StopSwitch(Loop& loop, std::function<void()> on_stop);
  StopSwitch(const StopSwitch&) = delete;  // the handles' data points here
  StopSwitch& operator=(const StopSwitch&) = delete;
  ~StopSwitch() = default;  // the Handles close what is still open

  // From any thread, any number of times, while the StopSwitch lives: the first request (or
  // signal) stops; the others do nothing. Returns at once: on_stop runs on the loop's thread.
  void request() noexcept;

  // Whether on_stop has run (on the loop's thread).
  [[nodiscard]] bool stopped() const noexcept { return stopped_; }

 private:
  static void on_signal(uv_signal_t* signal, int signal_number);
  static void on_async(uv_async_t* async);
  void stop();

  std::function<void()> on_stop_;
  Handle<uv_signal_t> interrupt_;
  Handle<uv_signal_t> terminate_;
  // request() reads async_ on other threads while stop() closes it on the loop's: uv_async_send
  // on a handle that is closing is undefined, so both hold this lock.
  std::mutex async_mutex_;
  Handle<uv_async_t> async_;
  bool stopped_ = false;
};

}  // namespace uvx
