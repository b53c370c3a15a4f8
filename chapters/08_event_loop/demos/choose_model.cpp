// Choosing the model, measured: the same 1000 slow fetches with a thread per request, with a
// pool of processes, and on the event loop (exercise 8.7) — the time each takes, and what it
// costs in threads, processes and memory.
//
//   $ build/demos/08_event_loop/choose_model [ITEMS [DELAY_MS [PROCESSES]]]     (1000 50 16)
//
// The server runs in a process of its own, and each model in a fresh child process, so that one
// model's threads and memory are not counted in the next one's. While a model runs, this program
// looks at its processes every 2 ms (/proc): how many threads and processes it has, their
// proportional memory (PSS: a page shared by k processes counts 1/k in each) and the address
// space they reserved.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <numeric>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>

#include <course/demo.hpp>
#include <course/not_implemented.hpp>
#include <course/unique_fd.hpp>

#include "fetchers.hpp"
#include "slow_server.hpp"

namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
constexpr std::uint64_t kKey = 0x5eed;  // the server's and the checker's: values are known here

struct Pipe {
  course::UniqueFd read;
  course::UniqueFd write;
};

Pipe make_pipe() {
  int ends[2];
  if (::pipe(ends) != 0) throw std::runtime_error("pipe failed");
  return {course::UniqueFd(ends[0]), course::UniqueFd(ends[1])};
}

std::string read_all(int fd) {
  std::string bytes;
  char buffer[512];
  for (ssize_t n = 0; (n = ::read(fd, buffer, sizeof buffer)) > 0;) {
    bytes.append(buffer, static_cast<std::size_t>(n));
  }
  return bytes;
}

// The server's process: serves until the pipe from the parent closes.
pid_t start_server(std::chrono::milliseconds delay, int& port, course::UniqueFd& keep_alive) {
  Pipe port_pipe = make_pipe();
  Pipe alive = make_pipe();
  const pid_t pid = ::fork();
  if (pid == 0) {
    port_pipe.read.reset();
    alive.write.reset();
    slow::Options options;
    options.delay = [delay](int) { return delay; };
    options.key = kKey;
    const slow::SlowServer server(options);
    const std::string text = std::to_string(server.port());
    [[maybe_unused]] const auto written = ::write(port_pipe.write.get(), text.data(), text.size());
    port_pipe.write.reset();
    read_all(alive.read.get());  // until the parent closes its end (or dies)
    ::_exit(0);
  }
  port_pipe.write.reset();
  alive.read.reset();
  port = std::stoi(read_all(port_pipe.read.get()));
  keep_alive = std::move(alive.write);
  return pid;
}

// What /proc says of one process.
struct Sample {
  long threads = 0;
  long processes = 0;
  long pss_kib = 0;
  long virtual_kib = 0;
};

long field(const std::string& text, const std::string& name) {
  const auto at = text.find(name + ":");
  return at == std::string::npos ? 0 : std::atol(text.c_str() + at + name.size() + 1);
}

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// `pid` and every process below it.
void sample_tree(pid_t pid, Sample& sum) {
  const std::string status = slurp(fmt::format("/proc/{}/status", pid));
  if (status.empty()) return;
  sum.processes += 1;
  sum.threads += field(status, "Threads");
  sum.virtual_kib += field(status, "VmSize");
  sum.pss_kib += field(slurp(fmt::format("/proc/{}/smaps_rollup", pid)), "Pss");
  std::istringstream children(slurp(fmt::format("/proc/{}/task/{}/children", pid, pid)));
  for (pid_t child = 0; children >> child;) sample_tree(child, sum);
}

struct Measured {
  std::string outcome;  // "ok", or what went wrong
  double seconds = 0;
  Sample first;  // the child before it started the model
  Sample peak;   // the most of each while it ran
};

// Runs `model` in a child process and watches it.
Measured measure(const std::function<std::vector<std::string>()>& model,
                 const std::vector<int>& items) {
  Pipe report = make_pipe();
  Pipe go = make_pipe();
  const pid_t pid = ::fork();
  if (pid == 0) {
    report.read.reset();
    go.write.reset();
    read_all(go.read.get());  // wait until the parent has taken its first sample
    std::string outcome = "ok";
    const auto start = Clock::now();
    try {
      const std::vector<std::string> values = model();
      for (std::size_t i = 0; i < items.size() && outcome == "ok"; ++i) {
        if (i >= values.size() || values[i] != slow::value_of(kKey, items[i])) {
          outcome = fmt::format("wrong value for item #{}", i);
        }
      }
    } catch (const course::NotImplemented& missing) {
      outcome = missing.what();
    } catch (const std::exception& error) {
      outcome = fmt::format("failed: {}", error.what());
    }
    const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    const std::string text = fmt::format("{}\n{}", seconds, outcome);
    [[maybe_unused]] const auto written = ::write(report.write.get(), text.data(), text.size());
    ::_exit(0);
  }
  report.write.reset();
  go.read.reset();
  Measured measured;
  sample_tree(pid, measured.first);
  measured.peak = measured.first;
  go.write.reset();  // go
  int status = 0;
  while (::waitpid(pid, &status, WNOHANG) == 0) {
    Sample now;
    sample_tree(pid, now);
    measured.peak.threads = std::max(measured.peak.threads, now.threads);
    measured.peak.processes = std::max(measured.peak.processes, now.processes);
    measured.peak.pss_kib = std::max(measured.peak.pss_kib, now.pss_kib);
    measured.peak.virtual_kib = std::max(measured.peak.virtual_kib, now.virtual_kib);
    std::this_thread::sleep_for(2ms);
  }
  std::istringstream text(read_all(report.read.get()));
  text >> measured.seconds;
  text.ignore();
  std::getline(text, measured.outcome);
  if (measured.outcome.empty()) measured.outcome = "the child process died";
  return measured;
}

std::string size(long kib) {
  const double mib = static_cast<double>(kib) / 1024;
  return mib < 1024 ? fmt::format("{:.1f} MiB", mib) : fmt::format("{:.1f} GiB", mib / 1024);
}

// Room for a descriptor per connection, on both sides, and some.
int raise_descriptor_limit(int items) {
  rlimit limit{};
  ::getrlimit(RLIMIT_NOFILE, &limit);
  const rlim_t wanted = static_cast<rlim_t>(items) + 256;
  if (limit.rlim_cur < wanted) {
    limit.rlim_cur = std::min(wanted, limit.rlim_max);
    ::setrlimit(RLIMIT_NOFILE, &limit);
  }
  const auto most = static_cast<int>(limit.rlim_cur) - 256;
  if (most < items) {
    fmt::print("(only {} descriptors may be open here: {} items instead of {})\n", limit.rlim_cur,
               most, items);
    return most;
  }
  return items;
}

}  // namespace

int main(int argc, char** argv) {
  return course::run_demo([&] {
    int items_wanted = argc > 1 ? std::atoi(argv[1]) : 1000;
    const auto delay = std::chrono::milliseconds(argc > 2 ? std::atoi(argv[2]) : 50);
    const int processes = argc > 3 ? std::atoi(argv[3]) : 16;
    if (items_wanted < 1 || delay.count() < 0 || processes < 1) {
      throw std::invalid_argument("usage: choose_model [ITEMS [DELAY_MS [PROCESSES]]]");
    }
    items_wanted = raise_descriptor_limit(items_wanted);
    std::vector<int> items(static_cast<std::size_t>(items_wanted));
    std::iota(items.begin(), items.end(), 1);

    int port = 0;
    course::UniqueFd server_alive;
    const pid_t server = start_server(delay, port, server_alive);

    fmt::print(
        "Fetching {} items from a server that answers each after {} ms, one connection "
        "per item\n(the server on 127.0.0.1:{}, in a process of its own).\n\n",
        items.size(), delay.count(), port);
    fmt::print("{:<28} {:>9} {:>9} {:>10} {:>12} {:>14}\n", "model", "time", "threads", "processes",
               "memory", "address space");
    fmt::print("{:<28} {:>8.1f}s {:>9} {:>10} {:>12} {:>14}   (computed, not run)\n",
               "one after the other",
               static_cast<double>(items.size()) * static_cast<double>(delay.count()) / 1000, 1, 1,
               "-", "-");
    const struct {
      std::string name;
      std::function<std::vector<std::string>()> model;
    } models[] = {
        {"a thread per request", [&] { return fetch::with_threads(port, items); }},
        {fmt::format("a pool of {} processes", processes),
         [&] { return fetch::with_processes(port, items, processes); }},
        {"the event loop (one thread)", [&] { return fetch::on_the_loop(port, items); }},
    };
    for (const auto& [name, model] : models) {
      const Measured m = measure(model, items);
      if (m.outcome != "ok") {
        fmt::print("{:<28} {}\n", name, m.outcome);
        continue;
      }
      fmt::print("{:<28} {:>8.2f}s {:>9} {:>10} {:>12} {:>14}\n", name, m.seconds, m.peak.threads,
                 m.peak.processes, "+" + size(m.peak.pss_kib - m.first.pss_kib),
                 "+" + size(m.peak.virtual_kib - m.first.virtual_kib));
    }
    fmt::print(
        "\n(threads and processes: the most at once; memory: the most PSS above the idle child's;"
        "\naddress space: reserved, mostly thread stacks, not memory in use.)\n\n"
        "The notebooks' rule, with C++'s amendment:\n"
        "  CPU-bound work              -> as many workers as cores: processes in Python (the "
        "GIL),\n"
        "                                 threads in C++ (no GIL); processes where a crash must "
        "be\n"
        "                                 contained\n"
        "  I/O, fast, few connections  -> threads: simple blocking code, a stack each\n"
        "  I/O, slow, many connections -> an event loop: about a KiB per waiting task\n");

    server_alive.reset();  // the server's process ends
    int status = 0;
    ::waitpid(server, &status, 0);
  });
}
