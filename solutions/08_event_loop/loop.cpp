#include "loop.hpp"

#include "uv_error.hpp"

namespace uvx {

Loop::Loop() {
  check(uv_loop_init(&loop_), "uv_loop_init");
}

Loop::~Loop() {
  if (closed_) return;
  // Whatever is still open is closed, and the loop runs until every close callback has run
  // (a handle's memory is its owner's to free there; these have no owner left to tell).
  uv_walk(
      &loop_,
      [](uv_handle_t* handle, void* /*unused*/) {
        if (uv_is_closing(handle) == 0) uv_close(handle, nullptr);
      },
      nullptr);
  uv_run(&loop_, UV_RUN_DEFAULT);
  uv_loop_close(&loop_);
}

bool Loop::run() {
  return uv_run(&loop_, UV_RUN_DEFAULT) != 0;
}

bool Loop::run_once_without_waiting() {
  return uv_run(&loop_, UV_RUN_NOWAIT) != 0;
}

std::vector<std::string> Loop::open_handles() {
  std::vector<std::string> open;
  uv_walk(
      &loop_,
      [](uv_handle_t* handle, void* names) {
        if (uv_is_closing(handle) != 0) return;
        static_cast<std::vector<std::string>*>(names)->emplace_back(
            uv_handle_type_name(uv_handle_get_type(handle)));
      },
      &open);
  return open;
}

int Loop::close() {
  if (closed_) return 0;
  const int status = uv_loop_close(&loop_);
  closed_ = status == 0;
  return status;
}

}  // namespace uvx
