// A million tasks asleep at once on chapter 7's event loop: how long they take, and what each
// costs in memory — the C++ half of tools/bench's "many tasks" (many_tasks.py is asyncio's).
//
//   $ build-solutions/bench/many_tasks --tasks 1000000 --sleep-ms 100
//   {"language": "cpp", "tasks": 1000000, "sleep_ms": 100, "seconds": ..., ...}
//
// Every task is spawned first, then awaited, as asyncio.gather does: they are all asleep at the
// same moment, so the peak resident memory minus what the process held before is what a million
// sleeping tasks cost. One JSON line on stdout; errors on stderr, exit status 1.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <fstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "event_loop.hpp"
#include "sleep.hpp"
#include "task.hpp"

namespace {

using Clock = std::chrono::steady_clock;

struct Options {
  long tasks = 1'000'000;
  long sleep_ms = 100;
};

// The most memory the process has held so far: the kernel's high-water mark of its resident
// set (VmHWM). Not getrusage's ru_maxrss, which a program started from a bigger one (Python,
// say) inherits across exec.
long peak_rss_bytes() {
  std::ifstream status{"/proc/self/status"};
  std::string line;
  while (std::getline(status, line)) {
    if (line.starts_with("VmHWM:")) return std::stol(line.substr(6)) * 1024;  // "VmHWM:  1234 kB"
  }
  throw std::runtime_error("/proc/self/status has no VmHWM line");
}

coro::Task<> naps(std::chrono::milliseconds nap) {
  co_await coro::sleep(nap);
}

struct Figures {
  double seconds = 0;
  long rss_before = 0;
  long rss_peak = 0;
};

coro::Task<> spawns_and_awaits(const Options& options, Figures& figures) {
  figures.rss_before = peak_rss_bytes();
  const auto start = Clock::now();
  std::vector<coro::JoinHandle<void>> tasks;
  tasks.reserve(static_cast<std::size_t>(options.tasks));
  for (long i = 0; i < options.tasks; ++i) {
    tasks.push_back(coro::spawn(naps(std::chrono::milliseconds{options.sleep_ms})));
  }
  for (auto& task : tasks) co_await task;
  figures.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  figures.rss_peak = peak_rss_bytes();
}

long positive(std::string_view flag, const char* text) {
  char* end = nullptr;
  const long value = std::strtol(text, &end, 10);
  if (end == text || *end != '\0' || value <= 0) {
    throw std::invalid_argument(
        fmt::format("{} wants a positive whole number, not '{}'", flag, text));
  }
  return value;
}

Options parse(int argc, char** argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    const std::string_view flag = argv[i];
    if (i + 1 >= argc)
      throw std::invalid_argument(fmt::format("unknown or incomplete option '{}'", flag));
    if (flag == "--tasks") {
      options.tasks = positive(flag, argv[++i]);
    } else if (flag == "--sleep-ms") {
      options.sleep_ms = positive(flag, argv[++i]);
    } else {
      throw std::invalid_argument(fmt::format("unknown option '{}'", flag));
    }
  }
  return options;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const Options options = parse(argc, argv);
    Figures figures;
    {
      coro::EventLoop loop;
      loop.run(spawns_and_awaits(options, figures));
    }
    const long grew = figures.rss_peak - figures.rss_before;
    fmt::print(
        "{{\"language\": \"cpp\", \"tasks\": {}, \"sleep_ms\": {}, \"seconds\": {:.4f}, "
        "\"peak_rss_bytes\": {}, \"rss_per_task\": {:.1f}}}\n",
        options.tasks, options.sleep_ms, figures.seconds, figures.rss_peak,
        static_cast<double>(grew) / static_cast<double>(options.tasks));
    return 0;
  } catch (const std::exception& error) {
    std::fprintf(stderr, "many_tasks: %s\n", error.what());
    std::fprintf(stderr, "usage: many_tasks [--tasks N] [--sleep-ms MS]\n");
    return 1;
  }
}
