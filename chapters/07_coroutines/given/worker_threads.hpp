// Given: a few worker threads that run jobs in the order given — what to_thread (exercise
// 7.6) runs blocking calls on, like asyncio's default executor.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <stop_token>
#include <thread>
#include <utility>
#include <vector>

namespace coro {

class WorkerThreads {
 public:
  explicit WorkerThreads(std::size_t count) {
    for (std::size_t i = 0; i < count; ++i) {
      workers_.emplace_back([this](std::stop_token stop) { work(stop); });
    }
  }
  WorkerThreads(const WorkerThreads&) = delete;
  WorkerThreads& operator=(const WorkerThreads&) = delete;
  // Jobs already given are run before the workers stop.
  ~WorkerThreads() {
    for (auto& worker : workers_) worker.request_stop();
    job_given_.notify_all();
  }

  void run(std::function<void()> job) {
    {
      const std::lock_guard lock(mutex_);
      jobs_.push_back(std::move(job));
    }
    job_given_.notify_one();
  }

 private:
  void work(const std::stop_token& stop) {
    while (true) {
      std::function<void()> job;
      {
        std::unique_lock lock(mutex_);
        job_given_.wait(lock, stop, [&] { return !jobs_.empty(); });
        if (jobs_.empty()) return;  // stopped, and nothing left to do
        job = std::move(jobs_.front());
        jobs_.pop_front();
      }
      job();
    }
  }

  std::mutex mutex_;
  std::condition_variable_any job_given_;
  std::deque<std::function<void()>> jobs_;
  std::vector<std::jthread> workers_;  // last: they stop and join before the rest goes
};

// The workers to_thread uses: four, made at first use.
inline WorkerThreads& default_workers() {
  static WorkerThreads workers(4);
  return workers;
}

}  // namespace coro
