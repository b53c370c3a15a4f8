#include "call_in_child.hpp"

#include <exception>
#include <optional>
#include <system_error>

#include <sys/wait.h>
#include <unistd.h>

#include "child.hpp"
#include "pipe_io.hpp"
#include "unique_fd.hpp"

namespace processes {

std::string call_in_child(const std::function<std::string()>& f) {
  Pipe pipe = make_pipe();
  std::fflush(nullptr);
  const pid_t pid = ::fork();
  if (pid < 0) throw std::system_error(errno, std::generic_category(), "fork");
  if (pid == 0) {
    pipe.read.reset();
    int code = 0;
    try {
      send_frame(pipe.write.get(), "R" + f());
    } catch (const std::exception& error) {
      code = 1;
      try {
        send_frame(pipe.write.get(), std::string("E") + error.what());
      } catch (...) {  // the parent is gone: nobody to tell
      }
    }
    ::_exit(code);
  }
  // The parent. Teacher's note: close our copy of the write end first — the child's end closing
  // is how we learn it died, and it only counts once no write end is left open.
  pipe.write.reset();
  std::optional<std::string> frame;
  std::string broken;
  try {
    // Read before waiting: a child with a large result blocks in write() until we read it.
    frame = receive_frame(pipe.read.get());
  } catch (const PipeClosed& error) {
    broken = std::string(" (") + error.what() + ")";
  }
  const ChildStatus status = wait_for_child(pid);
  if (!frame || frame->empty()) {
    throw ChildFailed("the child " + describe(status) + " before it sent its result" + broken);
  }
  if (frame->front() == 'E') throw ChildFailed(frame->substr(1));
  return frame->substr(1);
}

}  // namespace processes
