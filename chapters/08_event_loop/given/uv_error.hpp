// Given: libuv's errors as exceptions.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

namespace uvx {

// A libuv call that failed: libuv returns a negative status (UV_EADDRINUSE, ...) and
// uv_strerror says it in words.
class UvError : public std::runtime_error {
 public:
  UvError(std::string_view call, int status);
  [[nodiscard]] int status() const noexcept { return status_; }

 private:
  int status_;
};

// libuv's convention: a negative status is an error. Throws UvError for one, gives the status
// back otherwise: `check(uv_timer_start(...), "uv_timer_start")`.
int check(int status, std::string_view call);

}  // namespace uvx
