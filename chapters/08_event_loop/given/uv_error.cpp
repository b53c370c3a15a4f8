#include "uv_error.hpp"

#include <fmt/format.h>
#include <uv.h>

namespace uvx {

UvError::UvError(std::string_view call, int status)
    : std::runtime_error(
          fmt::format("{}: {} ({})", call, uv_strerror(status), uv_err_name(status))),
      status_(status) {}

int check(int status, std::string_view call) {
  if (status < 0) throw UvError(call, status);
  return status;
}

}  // namespace uvx
