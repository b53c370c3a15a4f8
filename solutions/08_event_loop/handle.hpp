// Exercise 8.1: a libuv handle, owned — and freed only when libuv is done with it.
#pragma once

#include <functional>
#include <memory>
#include <utility>

#include <uv.h>

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
  Handle& operator=(Handle&& other) noexcept {
    if (this != &other) {
      close();
      handle_ = std::move(other.handle_);
    }
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
  void close(std::function<void()> then = {}) noexcept {
    if (!handle_) return;
    // From here on the memory belongs to the close callback: it frees it (the unique_ptr it
    // makes again goes out of scope there).
    H* const closing = handle_.release();
    closing->data =
        then ? std::make_unique<std::function<void()>>(std::move(then)).release() : nullptr;
    uv_close(reinterpret_cast<uv_handle_t*>(closing), [](uv_handle_t* closed) {
      const std::unique_ptr<std::function<void()>> after(
          static_cast<std::function<void()>*>(closed->data));
      std::unique_ptr<H>(reinterpret_cast<H*>(closed)).reset();
      if (after) (*after)();
    });
  }

 private:
  std::unique_ptr<H> handle_;
};

}  // namespace uvx
