#include "process_pool.hpp"

#include <exception>
#include <optional>
#include <stdexcept>
#include <system_error>

#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "child.hpp"
#include "pipe_io.hpp"

namespace processes {

namespace {

// A worker's life, in the child: an answer for every input, until the pool closes the pipe.
[[noreturn]] void serve(int inputs, int answers, const ProcessPool::Task& task) {
  int code = 0;
  try {
    while (const auto input = receive_frame(inputs)) {
      std::string answer;
      try {
        answer = "R" + task(*input);
      } catch (const std::exception& error) {
        answer = std::string("E") + error.what();
      }
      send_frame(answers, answer);
    }
  } catch (...) {  // the pool went away in the middle of a frame
    code = 1;
  }
  ::_exit(code);
}

}  // namespace

ProcessPool::ProcessPool(std::size_t workers, Task task) : task_(std::move(task)) {
  if (workers == 0) throw std::invalid_argument("ProcessPool: it needs at least one worker");
  // A worker can die while the pool writes to it. SIGPIPE's default action would then kill
  // this whole process; ignored, the write fails with EPIPE instead, which the pool handles.
  ::signal(SIGPIPE, SIG_IGN);
  try {
    for (std::size_t i = 0; i < workers; ++i) workers_.push_back(start_worker());
  } catch (...) {
    shutdown();  // the workers already started must not be left behind
    throw;
  }
}

ProcessPool::~ProcessPool() {
  shutdown();
}

ProcessPool::Worker ProcessPool::start_worker() {
  Pipe inputs = make_pipe();
  Pipe answers = make_pipe();
  std::fflush(nullptr);
  const pid_t pid = ::fork();
  if (pid < 0) throw std::system_error(errno, std::generic_category(), "fork");
  if (pid == 0) {
    // The child holds copies of every pipe end the pool had. Teacher's note: it must close the
    // other workers' ends — a copy of another worker's input write end keeps that worker's
    // input open after the pool closes it, and that worker would never end — and the two ends
    // of its own pipes that belong to the pool, for the same reason.
    for (auto& other : workers_) {
      other.inputs.reset();
      other.answers.reset();
    }
    inputs.write.reset();
    answers.read.reset();
    serve(inputs.read.get(), answers.write.get(), task_);
  }
  return Worker{pid, std::move(inputs.write), std::move(answers.read)};
}

std::vector<std::string> ProcessPool::map(const std::vector<std::string>& inputs) {
  if (workers_.empty()) throw std::logic_error("ProcessPool: map after shutdown");
  std::vector<std::string> results(inputs.size());
  std::vector<std::optional<std::string>> failures(inputs.size());
  std::vector<std::optional<std::size_t>> working_on(workers_.size());  // an input's index
  std::size_t next = 0;
  std::size_t pending = 0;

  // Gives worker w the next input, if any is left.
  const auto give = [&](std::size_t w) {
    if (next == inputs.size()) return;
    try {
      send_frame(workers_[w].inputs.get(), inputs[next]);
    } catch (const std::system_error&) {
      // It died since its last answer (EPIPE): replace it, and give the input to the new one.
      (void)wait_for_child(workers_[w].pid);
      workers_[w] = start_worker();
      send_frame(workers_[w].inputs.get(), inputs[next]);
    }
    working_on[w] = next++;
    ++pending;
  };

  for (std::size_t w = 0; w < workers_.size(); ++w) give(w);
  while (pending > 0) {
    std::vector<pollfd> watched;
    std::vector<std::size_t> owners;
    for (std::size_t w = 0; w < workers_.size(); ++w) {
      if (working_on[w]) {
        watched.push_back({workers_[w].answers.get(), POLLIN, 0});
        owners.push_back(w);
      }
    }
    if (::poll(watched.data(), watched.size(), -1) < 0) {
      if (errno == EINTR) continue;
      throw std::system_error(errno, std::generic_category(), "poll");
    }
    for (std::size_t k = 0; k < watched.size(); ++k) {
      if (watched[k].revents == 0) continue;
      const std::size_t w = owners[k];
      const std::size_t input = *working_on[w];
      working_on[w].reset();
      --pending;
      std::optional<std::string> answer;
      try {
        answer = receive_frame(workers_[w].answers.get());
      } catch (const PipeClosed&) {  // it died in the middle of its answer
      }
      if (answer && !answer->empty() && answer->front() == 'R') {
        results[input] = answer->substr(1);
      } else if (answer && !answer->empty()) {
        failures[input] = "the task threw: " + answer->substr(1);
      } else {
        // Its answer pipe closed without an answer: the worker died. Wait for it (no zombie),
        // say how it died, and put a new worker in its place.
        failures[input] = "its worker " + describe(wait_for_child(workers_[w].pid));
        workers_[w] = start_worker();
      }
      give(w);
    }
  }
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    if (failures[i]) throw TaskFailed(inputs[i], *failures[i]);
  }
  return results;
}

void ProcessPool::shutdown() {
  // Closing a worker's input pipe is how it learns to end: receive_frame sees the clean end.
  for (auto& worker : workers_) worker.inputs.reset();
  for (auto& worker : workers_) {
    worker.answers.reset();
    try {
      (void)wait_for_child(worker.pid);
    } catch (const std::system_error&) {  // already waited for: nothing left to do
    }
  }
  workers_.clear();
}

std::vector<pid_t> ProcessPool::worker_pids() const {
  std::vector<pid_t> pids;
  for (const auto& worker : workers_) pids.push_back(worker.pid);
  return pids;
}

}  // namespace processes
