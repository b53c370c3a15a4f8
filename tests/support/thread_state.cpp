#include <algorithm>
#include <fstream>
#include <string>
#include <thread>

#include <unistd.h>

#include <course/thread_state.hpp>

namespace course {

int current_thread_id() {
  return static_cast<int>(::gettid());
}

bool thread_is_asleep(int id) {
  // "123 (name with spaces) S ...": the state follows the last ')'.
  std::ifstream stat("/proc/self/task/" + std::to_string(id) + "/stat");
  std::string text;
  if (!std::getline(stat, text)) return false;
  const auto name_end = text.rfind(')');
  if (name_end == std::string::npos || name_end + 2 >= text.size()) return false;
  const char state = text[name_end + 2];
  return state == 'S' || state == 'D';
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
