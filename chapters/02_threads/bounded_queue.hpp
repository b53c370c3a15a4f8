// Exercise 2.5: a bounded queue for producers and consumers, on a mutex and condition variables.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <optional>
#include <stdexcept>

#include <course/not_implemented.hpp>

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
    // TODO(2.5): check the capacity.
    throw course::NotImplemented("2.5", "BoundedQueue's constructor");
  }

  // Waits while the queue is full and open; adds the item and returns true, or returns false
  // (dropping the item) once the queue is closed.
  bool push([[maybe_unused]] T item) {
    // TODO(2.5): wait on not_full_ for room (or closing); add; wake a consumer.
    throw course::NotImplemented("2.5", "BoundedQueue::push");
  }

  // Waits while the queue is empty and open; returns the oldest item, or std::nullopt once the
  // queue is closed and empty.
  std::optional<T> pop() {
    // TODO(2.5): wait on not_empty_ for an item (or closing); take it; wake a producer.
    throw course::NotImplemented("2.5", "BoundedQueue::pop");
  }

  // No more pushes; wakes every waiting thread.
  void close() {
    // TODO(2.5)
    throw course::NotImplemented("2.5", "BoundedQueue::close");
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
