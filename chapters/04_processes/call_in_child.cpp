#include "call_in_child.hpp"

#include <exception>
#include <system_error>

#include <sys/wait.h>
#include <unistd.h>

#include <course/not_implemented.hpp>

#include "child.hpp"
#include "pipe_io.hpp"
#include "unique_fd.hpp"

namespace processes {

std::string call_in_child([[maybe_unused]] const std::function<std::string()>& f) {
  // TODO(4.3): a pipe; fork; the child sends 'R' + result (or 'E' + message) and _exits; the
  // parent closes its write end, receives the frame, then waits.
  throw course::NotImplemented("4.3", "call_in_child");
}

}  // namespace processes
