#include "loop.hpp"

#include <course/not_implemented.hpp>

#include "uv_error.hpp"

namespace uvx {

Loop::Loop() {
  check(uv_loop_init(&loop_), "uv_loop_init");
}

Loop::~Loop() {
  // TODO(8.1): unless close() already closed the loop: uv_close every handle still open and not
  // closing (uv_walk; no close callback: nobody is left to free them), run the loop so that the
  // closes complete, then uv_loop_close.
  course::report_not_implemented("8.1", "Loop::~Loop");
}

bool Loop::run() {
  return uv_run(&loop_, UV_RUN_DEFAULT) != 0;
}

bool Loop::run_once_without_waiting() {
  return uv_run(&loop_, UV_RUN_NOWAIT) != 0;
}

std::vector<std::string> Loop::open_handles() {
  // TODO(8.1): uv_walk the loop; for each handle that is not closing, its type's name
  // (uv_handle_type_name of uv_handle_get_type). uv_walk's void* argument can carry the vector.
  throw course::NotImplemented("8.1", "Loop::open_handles");
}

int Loop::close() {
  // TODO(8.1): uv_loop_close, remembering a success (closed_): then there is nothing left for
  // the destructor to do. Give its status.
  throw course::NotImplemented("8.1", "Loop::close");
}

}  // namespace uvx
