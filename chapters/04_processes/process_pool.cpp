#include "process_pool.hpp"

#include <exception>
#include <optional>
#include <system_error>

#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <course/not_implemented.hpp>

#include "child.hpp"
#include "pipe_io.hpp"

namespace processes {

ProcessPool::ProcessPool([[maybe_unused]] std::size_t workers, Task task) : task_(std::move(task)) {
  // TODO(4.4): ignore SIGPIPE; start the workers.
  throw course::NotImplemented("4.4", "ProcessPool's constructor");
}

ProcessPool::~ProcessPool() {
  // TODO(4.4)
  course::report_not_implemented("4.4", "ProcessPool's destructor");
}

ProcessPool::Worker ProcessPool::start_worker() {
  // TODO(4.4): two pipes; fork; the child closes what it does not use and serves inputs.
  throw course::NotImplemented("4.4", "ProcessPool::start_worker");
}

std::vector<std::string> ProcessPool::map([[maybe_unused]] const std::vector<std::string>& inputs) {
  // TODO(4.4): hand out inputs, poll for answers, replace a worker that died.
  throw course::NotImplemented("4.4", "ProcessPool::map");
}

void ProcessPool::shutdown() {
  // TODO(4.4): close every worker's input pipe, then wait for every worker.
  throw course::NotImplemented("4.4", "ProcessPool::shutdown");
}

std::vector<pid_t> ProcessPool::worker_pids() const {
  std::vector<pid_t> pids;
  for (const auto& worker : workers_) pids.push_back(worker.pid);
  return pids;
}

}  // namespace processes
