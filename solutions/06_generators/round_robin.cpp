#include "round_robin.hpp"

#include <condition_variable>
#include <mutex>
#include <utility>

namespace generators {

void RoundRobin::spawn(Task task) {
  tasks_.push_back(std::move(task));
  ready_.push_back(&tasks_.back());
}

void RoundRobin::run() {
  std::mutex mutex;
  std::condition_variable nobody_notifies;  // this scheduler is woken only by time
  while (!ready_.empty() || !sleeping_.empty()) {
    // Sleepers whose time has come are ready again, before the tasks now in the queue get
    // their next turns.
    while (!sleeping_.empty() && sleeping_.top().wake_at <= clock_.now()) {
      ready_.push_back(sleeping_.top().task);
      sleeping_.pop();
    }
    if (ready_.empty()) {
      std::unique_lock lock(mutex);
      clock_.wait_until(lock, nobody_notifies, sleeping_.top().wake_at);
      continue;
    }
    Task* task = ready_.front();
    ready_.pop_front();
    // One step: up to the task's next co_yield. Teacher's note: this is the whole of
    // cooperative multitasking — the task runs until it gives the CPU back itself.
    const std::optional<Request> request = task->next();
    if (!request) continue;  // the task has ended
    if (std::holds_alternative<SleepFor>(*request)) {
      sleeping_.push(
          Sleeper{clock_.now() + std::get<SleepFor>(*request).duration, sleeps_so_far_++, task});
    } else {
      ready_.push_back(task);
    }
  }
}

}  // namespace generators
