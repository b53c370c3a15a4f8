#include "finishing_order.hpp"

#include <mutex>
#include <thread>

namespace threads {

std::vector<int> finishing_order(int workers, const std::function<void(int)>& work) {
  std::vector<int> finished;
  std::mutex finished_mutex;  // every thread appends to `finished`: one at a time
  {
    std::vector<std::jthread> threads;
    threads.reserve(static_cast<std::size_t>(workers));
    for (int i = 0; i < workers; ++i) {
      threads.emplace_back([&, i] {
        work(i);  // outside the lock: the workers' work overlaps
        const std::lock_guard lock(finished_mutex);
        finished.push_back(i);
      });
    }
  }  // joined: nobody touches `finished` any more
  return finished;
}

}  // namespace threads
