// Exercise 4.4: a pool of worker processes — Python's multiprocessing.Pool.
#pragma once

#include <cstddef>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include <sys/types.h>

#include "unique_fd.hpp"

namespace processes {

// A task of ProcessPool::map that did not give a result. (Given.)
class TaskFailed : public std::runtime_error {
 public:
  TaskFailed(std::string input, const std::string& why)
      : std::runtime_error("the task for input '" + input + "' failed: " + why),
        input_(std::move(input)) {}
  [[nodiscard]] const std::string& input() const { return input_; }

 private:
  std::string input_;
};

// Exercise 4.4 — ProcessPool: `workers` child processes that live as long as the pool and run
// its task — one function, copied into each child by fork — on the inputs map() sends them.
//  - Each worker has two pipes: the pool sends it an input as a frame, it sends back 'R' and
//    the result, or 'E' and the message of the exception the task threw. When its input pipe
//    closes, it ends (_exit(0)).
//  - map(inputs) gives each idle worker the next input, waits for any worker's answer (poll),
//    and returns the results in the order of the inputs.
//  - A worker that dies in the middle of a task (its answer pipe closes early) fails that task;
//    the pool waits for it and starts a new worker in its place, and goes on with the others.
//    When every input has been tried, map throws TaskFailed for the first failed input.
//  - shutdown() (and the destructor) closes the workers' input pipes and waits for every one of
//    them: no zombie, no orphan. Calling it again does nothing; map() after it throws
//    std::logic_error.
//  - ProcessPool(0, task) throws std::invalid_argument: a pool needs a worker.
// A worker must close every pipe end it does not use — the other workers' too: a copy of
// another worker's input write end keeps that worker's input open after the pool closes it. And
// the pool ignores SIGPIPE: writing to a worker that died must fail with EPIPE (then the pool
// replaces it), not kill the pool's process.
class ProcessPool {
 public:
  using Task = std::function<std::string(const std::string&)>;

  ProcessPool(std::size_t workers, Task task);
  ProcessPool(const ProcessPool&) = delete;
  ProcessPool& operator=(const ProcessPool&) = delete;
  ~ProcessPool();

  std::vector<std::string> map(const std::vector<std::string>& inputs);
  void shutdown();

  [[nodiscard]] std::size_t size() const { return workers_.size(); }
  [[nodiscard]] std::vector<pid_t> worker_pids() const;

 private:
  struct Worker {
    pid_t pid = -1;
    UniqueFd inputs;   // the pool writes inputs here
    UniqueFd answers;  // and reads answers here
  };

  // Forks a worker; in the child, runs the task on every input until the input pipe closes.
  Worker start_worker();

  Task task_;
  std::vector<Worker> workers_;
};

}  // namespace processes
