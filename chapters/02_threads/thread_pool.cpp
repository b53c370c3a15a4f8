#include "thread_pool.hpp"

#include <stdexcept>

namespace threads {

ThreadPool::ThreadPool([[maybe_unused]] std::size_t workers) {
  // TODO(2.6): check the number; start the workers, each running work().
  throw course::NotImplemented("2.6", "ThreadPool's constructor");
}

ThreadPool::~ThreadPool() {
  // TODO(2.6)
  course::report_not_implemented("2.6", "ThreadPool's destructor");
}

void ThreadPool::shutdown() {
  // TODO(2.6): set the flag, wake every worker, join them.
  throw course::NotImplemented("2.6", "ThreadPool::shutdown");
}

void ThreadPool::post([[maybe_unused]] std::function<void()> job) {
  // TODO(2.6): refuse after shutdown; queue the job; wake a worker.
  throw course::NotImplemented("2.6", "ThreadPool::post");
}

void ThreadPool::work() {
  // TODO(2.6): take the next job under the lock, run it without the lock.
  throw course::NotImplemented("2.6", "ThreadPool::work");
}

}  // namespace threads
