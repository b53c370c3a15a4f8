// What exercise 8.7's tests share — visible and hidden ones: items and the server's answers to
// them, this process's threads and descriptors, what a fetch threw.
#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <map>
#include <random>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <fcntl.h>
#include <unistd.h>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <gtest/gtest.h>
#include <uv.h>

#include <course/testing.hpp>
#include <course/unique_fd.hpp>

#include "slow_server.hpp"

namespace fetch_testing {

using namespace std::chrono_literals;

using Items = std::vector<int>;
using Values = std::vector<std::string>;

// `count` items drawn at random (negative ones and duplicates among them), and the seed that
// drew them, for the failure message.
struct RandomItems {
  unsigned seed;
  Items items;
};

inline RandomItems random_items(std::size_t count) {
  const unsigned seed = std::random_device{}();
  std::mt19937 draw(seed);
  std::uniform_int_distribution<int> item(-1000, 1'000'000);
  Items items;
  while (items.size() < count) {
    const int next = item(draw);
    if (std::find(items.begin(), items.end(), next) == items.end()) items.push_back(next);
  }
  items.push_back(items.front());  // asked twice
  items.push_back(items[items.size() / 2]);
  return {seed, items};
}

// Answers that come back in another order than they were asked for: 5 to 44 ms, by item.
inline slow::Options shuffled_answers() {
  slow::Options options;
  options.delay = [](int item) {
    return std::chrono::milliseconds(5 + static_cast<unsigned>(item) * 2654435761U % 40);
  };
  return options;
}

// The first place where `got` differs from the server's answers to `items`, or success.
inline ::testing::AssertionResult are_the_values(const Values& got, const Items& items,
                                                 const slow::SlowServer& server) {
  if (got.size() != items.size()) {
    return ::testing::AssertionFailure()
           << got.size() << " values for " << items.size() << " items: one value per item";
  }
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (got[i] == server.value_of(items[i])) continue;
    std::string whose = "no item's";
    for (std::size_t j = 0; j < items.size(); ++j) {
      if (got[i] == server.value_of(items[j])) whose = fmt::format("item {}'s (#{})", items[j], j);
    }
    return ::testing::AssertionFailure()
           << "value #" << i << " is '" << got[i] << "', which is " << whose << " value; item "
           << items[i] << "'s is '" << server.value_of(items[i])
           << "'. The values go in the order of the items, whatever order the answers came in";
  }
  return ::testing::AssertionSuccess();
}

// The threads of this process (its own thread included): field 20 of /proc/self/stat, read
// through `proc_stat`, a descriptor open on it (read again from the start, procfs writes it anew).
inline std::size_t thread_count(int proc_stat) {
  char text[1024];
  const auto n = ::pread(proc_stat, text, sizeof text - 1, 0);
  if (n <= 0) return 0;
  text[n] = '\0';
  // The process's name, field 2, is in parentheses and may hold spaces: count from the last ')'.
  const char* field = std::strrchr(text, ')');
  for (int i = 2; field != nullptr && i < 20; ++i) field = std::strchr(field + 1, ' ');
  return field == nullptr ? 0 : std::strtoul(field + 1, nullptr, 10);
}

inline std::size_t thread_count() {
  const course::UniqueFd proc_stat(::open("/proc/self/stat", O_RDONLY | O_CLOEXEC));
  return thread_count(proc_stat.get());
}

// This process's open descriptors, and what each is ("socket:[4242]", "pipe:[17]", a path).
using Descriptors = std::map<int, std::string>;

inline Descriptors open_descriptors() {
  Descriptors open;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator("/proc/self/fd")) {
    open[std::stoi(entry.path().filename().string())] =
        std::filesystem::read_symlink(entry.path(), error).string();
  }
  return open;
}

// Success when every descriptor open now was open `before` too (the one that listed them
// aside); otherwise the ones left open. The server may still be closing a connection whose
// answer a client has read: it is given a moment to close them all first.
inline ::testing::AssertionResult nothing_left_open(const Descriptors& before,
                                                    const slow::SlowServer& server) {
  for (int i = 0; i < 1000 && server.stats().open > 0; ++i) std::this_thread::sleep_for(1ms);
  std::vector<std::string> left;
  for (const auto& [fd, what] : open_descriptors()) {
    if (!before.contains(fd) && !what.starts_with("/proc/")) {
      left.push_back(fmt::format("{} ({})", fd, what));
    }
  }
  if (left.empty()) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << "descriptors opened and never closed: " << fmt::format("{}", fmt::join(left, ", "));
}

// The most threads this process had at once while it lived (its own thread included).
//
// The sampler opens no descriptor while it runs: ThreadSanitizer takes a descriptor number that
// one thread closes and another's socket() gets next for a data race.
class ThreadPeak {
 public:
  ThreadPeak()
      : stat_(::open("/proc/self/stat", O_RDONLY | O_CLOEXEC)),
        sampler_([this](const std::stop_token& stop) {
          while (!stop.stop_requested()) {
            const std::size_t now = thread_count(stat_.get());
            if (now > most_.load()) most_.store(now);
            std::this_thread::sleep_for(200us);
          }
        }) {}
  [[nodiscard]] std::size_t most() const { return most_.load(); }

 private:
  course::UniqueFd stat_;
  std::atomic<std::size_t> most_{0};
  std::jthread sampler_;
};

// The text of what `fetch` threw, or why it did not throw what it should.
template <class Fetch>
inline std::string error_of(Fetch&& fetch) {
  try {
    fetch();
  } catch (const std::runtime_error& error) {
    return error.what();
  } catch (const std::exception& error) {
    return fmt::format("(not a std::runtime_error: {})", error.what());
  }
  return "(nothing was thrown)";
}

// Success when `error` names `item` ("item 17").
inline ::testing::AssertionResult names_item(const std::string& error, int item) {
  if (error.find(fmt::format("item {}", item)) != std::string::npos) {
    return ::testing::AssertionSuccess();
  }
  return ::testing::AssertionFailure()
         << "what was thrown: " << error << "\nExpected a std::runtime_error naming item " << item;
}

// A port where nobody listens (any more): connecting to it is refused.
inline int closed_port() {
  const slow::SlowServer gone;
  return gone.port();
}

// Done before main, while this program has one thread. ThreadSanitizer takes a descriptor that
// one thread creates or closes and another's accept() gets next, with no other order between
// them, for a data race: descriptors made and closed while a server's thread accepts (libuv's
// first loop, a server that comes and goes) would look like one.
//   - libuv opens a pipe for the whole process when its first loop starts, and keeps it: open
//     before anything is counted;
//   - a port nobody listens on, from a server that is gone.
[[maybe_unused]] inline const bool libuv_started = [] {
  uv_loop_t loop;
  return uv_loop_init(&loop) == 0 && uv_loop_close(&loop) == 0;
}();
inline const int kClosedPort = closed_port();

// The slower refusal comes first in the list: its error is the one to throw, though it comes
// last in time.
inline std::map<int, std::chrono::milliseconds> refused(int first, int second) {
  return {{first, std::chrono::duration_cast<std::chrono::milliseconds>(course::scaled(100ms))},
          {second, 0ms}};
}

// The server holds every answer until `expected` requests wait at the same moment: a client
// that makes them one (or a few) at a time never gets there, and the server answers after
// `limit`, saying so.
inline slow::Options held_until(std::size_t expected, std::chrono::milliseconds limit = 3s) {
  slow::Options options;
  options.delay = [](int) { return 1ms; };
  options.hold_until_waiting = expected;
  options.hold_limit = std::chrono::duration_cast<std::chrono::milliseconds>(course::scaled(limit));
  return options;
}

inline std::string requests_by_process(const slow::Stats& stats) {
  std::vector<std::string> parts;
  for (const auto& [pid, requests] : stats.requests_by_process) {
    parts.push_back(
        fmt::format("{}{}: {}", pid, pid == ::getpid() ? " (this process)" : "", requests));
  }
  return fmt::format("{}", fmt::join(parts, ", "));
}

}  // namespace fetch_testing
