// Exercise 2.6: a pool of worker threads that runs tasks and hands back futures — Python's
// ThreadPoolExecutor, in C++.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <thread>
#include <type_traits>
#include <vector>

namespace threads {

// The notebooks' future.done(): whether the result (or exception) is there, without waiting.
template <class R>
bool is_done(const std::future<R>& future) {
  return future.wait_for(std::chrono::seconds(0)) == std::future_status::ready;
}

// Exercise 2.6 — ThreadPool: a fixed number of worker threads, and a queue of jobs they take
// from. submit() queues a call and returns at once with a std::future of its result; the
// workers run the calls, at most size() at a time; the destructor (or shutdown()) lets them
// finish every queued call, then joins them.
class ThreadPool {
 public:
  // Starts `workers` threads, each running work(). 0 workers is an error:
  // throw std::invalid_argument.
  explicit ThreadPool(std::size_t workers);
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;
  // shutdown().
  ~ThreadPool();

  // Runs f(args...) on a worker, later; returns at once. The future gives the result, or
  // rethrows the exception the call threw. After shutdown(), throws std::runtime_error.
  template <class F, class... Args>
  auto submit(F&& f, Args&&... args)
      -> std::future<std::invoke_result_t<std::decay_t<F>, std::decay_t<Args>...>> {
    using Result = std::invoke_result_t<std::decay_t<F>, std::decay_t<Args>...>;
    // The packaged_task stores the call's result or exception in the future's shared state.
    // It can only be moved, and std::function needs a copyable callable: a shared_ptr to the
    // task is copyable, and the task itself stays in one place.
    auto task = std::make_shared<std::packaged_task<Result()>>(
        [f = std::forward<F>(f), ... args = std::forward<Args>(args)]() mutable {
          return std::invoke(std::move(f), std::move(args)...);
        });
    auto future = task->get_future();
    post([task] { (*task)(); });
    return future;
  }

  // Python's Pool.map: f(input) for every input, computed by the workers, returned in the
  // order of the inputs (not the order they finished in).
  template <class F, class T>
  auto map(F f, const std::vector<T>& inputs) -> std::vector<std::invoke_result_t<F&, const T&>> {
    // All submitted first, so that the workers run them at the same time; then collected in
    // the inputs' order, whatever order they finish in. (get() rethrows a call's exception.)
    std::vector<std::future<std::invoke_result_t<F&, const T&>>> futures;
    futures.reserve(inputs.size());
    for (const T& input : inputs) futures.push_back(submit(f, input));
    std::vector<std::invoke_result_t<F&, const T&>> results;
    results.reserve(inputs.size());
    for (auto& future : futures) results.push_back(future.get());
    return results;
  }

  // No more submits; waits until every queued call has run and the workers have ended.
  // Calling it again does nothing.
  void shutdown();

  [[nodiscard]] std::size_t size() const { return workers_.size(); }

 private:
  // Queues a job for the workers and wakes one; throws std::runtime_error after shutdown().
  void post(std::function<void()> job);

  // A worker's life: wait for a job, run it, again — until shutdown() has been called and no
  // job is left.
  void work();

  std::mutex mutex_;
  std::condition_variable wake_;  // the workers wait here for a job, or for the end
  std::deque<std::function<void()>> jobs_;
  bool stopping_ = false;              // shutdown() was called; guarded by mutex_
  std::vector<std::jthread> workers_;  // last: its threads start once the rest exists
};

}  // namespace threads
