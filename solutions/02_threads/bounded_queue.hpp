// Exercise 2.5: a bounded queue for producers and consumers, on a mutex and condition variables.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <optional>
#include <stdexcept>

namespace threads {

// Exercise 2.5 — BoundedQueue<T>: a first-in first-out queue of at most `capacity` items that
// any number of threads push to and pop from at once.
//  - push waits while the queue is full; pop waits while it is empty. Waiting means sleeping on
//    a std::condition_variable, never spinning: a waiting thread uses no CPU.
//  - close() ends it: every waiting thread wakes; push then refuses (returns false); pop still
//    hands out what is left, then returns std::nullopt.
//  - No item is ever lost or handed out twice.
template <class T>
class BoundedQueue {
 public:
  // A capacity of 0 is an error: throw std::invalid_argument.
  explicit BoundedQueue(std::size_t capacity) : capacity_(capacity) {
    if (capacity == 0) throw std::invalid_argument("BoundedQueue: the capacity must be at least 1");
  }

  // Waits while the queue is full and open; adds the item and returns true, or returns false
  // (dropping the item) once the queue is closed.
  bool push(T item) {
    std::unique_lock lock(mutex_);
    // wait() releases the lock while asleep and holds it again when it returns; the predicate
    // is checked under the lock, so a wake-up that came too early (or spuriously) just waits
    // again.
    not_full_.wait(lock, [this] { return closed_ || items_.size() < capacity_; });
    if (closed_) return false;
    items_.push_back(std::move(item));
    lock.unlock();  // the woken consumer need not wait for us to let go of the lock
    not_empty_.notify_one();
    return true;
  }

  // Waits while the queue is empty and open; returns the oldest item, or std::nullopt once the
  // queue is closed and empty.
  std::optional<T> pop() {
    std::unique_lock lock(mutex_);
    not_empty_.wait(lock, [this] { return closed_ || !items_.empty(); });
    if (items_.empty()) return std::nullopt;  // closed, and nothing left
    std::optional<T> item(std::move(items_.front()));
    items_.pop_front();
    lock.unlock();
    not_full_.notify_one();
    return item;
  }

  // No more pushes; wakes every waiting thread.
  void close() {
    {
      const std::lock_guard lock(mutex_);
      closed_ = true;
    }
    // Teacher's note: notify_all, not notify_one — every waiter must see the queue closed.
    not_full_.notify_all();
    not_empty_.notify_all();
  }

  // How many items are in the queue right now (already stale when it returns).
  [[nodiscard]] std::size_t size() const {
    const std::lock_guard lock(mutex_);
    return items_.size();
  }

 private:
  mutable std::mutex mutex_;
  std::condition_variable not_full_;   // producers wait here for room
  std::condition_variable not_empty_;  // consumers wait here for an item
  std::deque<T> items_;
  std::size_t capacity_;
  bool closed_ = false;
};

}  // namespace threads
