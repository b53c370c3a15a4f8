#include <algorithm>
#include <string>
#include <thread>

#include <unistd.h>

#include <course/process_table.hpp>
#include <course/thread_state.hpp>

namespace course {

int current_thread_id() {
  return static_cast<int>(::gettid());
}

bool thread_is_asleep(int id) {
  const auto thread =
      read_stat("/proc/self/task/" + std::to_string(id) + "/stat", static_cast<pid_t>(id));
  return thread && (thread->state == 'S' || thread->state == 'D');
}

bool wait_until_asleep(const std::vector<int>& ids, Millis limit) {
  const auto give_up_at = std::chrono::steady_clock::now() +
                          std::chrono::duration_cast<std::chrono::nanoseconds>(limit);
  while (!std::all_of(ids.begin(), ids.end(), thread_is_asleep)) {
    if (std::chrono::steady_clock::now() >= give_up_at) return false;
    std::this_thread::sleep_for(std::chrono::microseconds(100));
  }
  return true;
}

}  // namespace course
