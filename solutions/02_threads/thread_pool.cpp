#include "thread_pool.hpp"

#include <stdexcept>

namespace threads {

ThreadPool::ThreadPool(std::size_t workers) {
  if (workers == 0) throw std::invalid_argument("ThreadPool: it needs at least one worker");
  workers_.reserve(workers);
  try {
    for (std::size_t i = 0; i < workers; ++i) workers_.emplace_back([this] { work(); });
  } catch (...) {
    // A thread could not be started: the destructor will not run for a half-made pool, so
    // end the workers already started here, or they would wait for jobs forever.
    shutdown();
    throw;
  }
}

ThreadPool::~ThreadPool() {
  shutdown();
}

void ThreadPool::shutdown() {
  {
    const std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  // Joining here, not in the jthreads' destructors: a worker may still be running a job that
  // uses this pool's members, which must outlive it. join() twice would throw; joinable()
  // makes a second shutdown() do nothing.
  for (auto& worker : workers_) {
    if (worker.joinable()) worker.join();
  }
}

void ThreadPool::post(std::function<void()> job) {
  {
    const std::lock_guard lock(mutex_);
    if (stopping_) throw std::runtime_error("ThreadPool: submit after shutdown");
    jobs_.push_back(std::move(job));
  }
  wake_.notify_one();
}

void ThreadPool::work() {
  while (true) {
    std::function<void()> job;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
      // Teacher's note: leave only when stopping *and* nothing is queued — shutdown() finishes
      // the queued work instead of dropping it.
      if (jobs_.empty()) return;
      job = std::move(jobs_.front());
      jobs_.pop_front();
    }
    // Without the lock: other workers take jobs meanwhile. A job cannot throw here: the
    // packaged_task keeps its exception for the future.
    job();
  }
}

}  // namespace threads
