// Exercise 8.1: a libuv handle, owned — and freed only when libuv is done with it.
#pragma once

#include <functional>
#include <memory>
#include <utility>

#include <uv.h>

#include <course/not_implemented.hpp>

#include "loop.hpp"
#include "uv_error.hpp"

namespace uvx {

// Exercise 8.1 — owns one libuv handle: H is uv_timer_t, uv_tcp_t, uv_signal_t, ... Closing a
// handle is asynchronous: uv_close only asks, and libuv goes on using the handle's memory until
// the loop has called its close callback. So a Handle that goes (destroyed, or close()d) calls
// uv_close and hands the memory to the close callback, which frees it — never before. A Handle
// must not outlive its Loop.
template <class H>
class Handle {
 public:
  // A handle initialised on `loop` by `init` (uv_timer_init, uv_tcp_init, ...).
  template <class Init>
  Handle(Loop& loop, Init init) : handle_(std::make_unique<H>()) {
    check(init(loop.get(), handle_.get()), "initialising a handle");
  }
  Handle(Handle&&) noexcept = default;
  Handle& operator=(Handle&& /*other*/) noexcept {
    // TODO(8.1): unless it is itself: close the handle this one has, then take other's.
    course::report_not_implemented("8.1", "Handle::operator=(Handle&&)");
    return *this;
  }
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  ~Handle() { close(); }

  [[nodiscard]] H* get() const noexcept { return handle_.get(); }
  [[nodiscard]] uv_handle_t* as_handle() const noexcept {
    return reinterpret_cast<uv_handle_t*>(handle_.get());
  }
  [[nodiscard]] explicit operator bool() const noexcept { return handle_ != nullptr; }

  // Starts closing the handle (nothing if this Handle has none); `then` runs in the close
  // callback, once the memory is freed. Afterwards this Handle is empty.
  void close([[maybe_unused]] std::function<void()> then = {}) noexcept {
    // TODO(8.1): nothing if empty. Otherwise release the memory from handle_ (it now belongs to
    // the close callback), keep `then` where the callback finds it (the handle's data: a
    // std::function made with make_unique, released), and uv_close with a callback — a
    // captureless lambda — that frees the function and the handle (unique_ptrs again), then
    // calls `then`.
    course::report_not_implemented("8.1", "Handle::close");
  }

 private:
  std::unique_ptr<H> handle_;
};

}  // namespace uvx
