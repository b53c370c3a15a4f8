#include "gil_free.hpp"

#include <optional>
#include <stdexcept>
#include <string>
#include <system_error>

#include <sys/wait.h>
#include <unistd.h>

#include "child.hpp"
#include "pipe_io.hpp"
#include "simple_gil.hpp"
#include "unique_fd.hpp"

namespace processes {

std::vector<long> run_on_processes(const toy::Program& program, int processes) {
  struct Child {
    pid_t pid;
    UniqueFd results;
  };
  std::vector<Child> children;
  std::fflush(nullptr);
  // All started first, then all collected: collecting each right after starting it would run
  // them one after another — chapter 2's trap, with processes.
  for (int i = 0; i < processes; ++i) {
    Pipe pipe = make_pipe();
    const pid_t pid = ::fork();
    if (pid < 0) {
      const int error = errno;
      for (const auto& child : children) (void)wait_for_child(child.pid);  // they end by themselves
      throw std::system_error(error, std::generic_category(), "fork");
    }
    if (pid == 0) {
      for (auto& sibling : children) sibling.results.reset();
      pipe.read.reset();
      int code = 0;
      try {
        // An interpreter and a GIL of its own: nothing in this process is shared with the
        // others, so nothing needs a lock between them — they compute on all the cores.
        SimpleGil lock;
        toy::Runtime runtime(lock);
        const toy::Code code_to_run(program);
        send_frame(pipe.write.get(), std::to_string(runtime.run(code_to_run)));
      } catch (...) {
        code = 1;
      }
      ::_exit(code);
    }
    pipe.write.reset();
    children.push_back({pid, std::move(pipe.read)});
  }
  std::vector<long> results;
  std::string failure;
  for (auto& child : children) {
    std::optional<std::string> frame;
    try {
      frame = receive_frame(child.results.get());
    } catch (const PipeClosed&) {
    }
    const ChildStatus status = wait_for_child(child.pid);
    if (!frame && failure.empty())
      failure = "a child " + describe(status) + " before it sent its result";
    results.push_back(frame ? std::stol(*frame) : 0);
  }
  if (!failure.empty()) throw std::runtime_error(failure);
  return results;
}

}  // namespace processes
