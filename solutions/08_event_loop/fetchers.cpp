#include "fetchers.hpp"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstddef>
#include <cstring>
#include <exception>
#include <optional>
#include <stdexcept>
#include <string_view>
#include <system_error>
#include <thread>
#include <utility>

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>

#include <course/unique_fd.hpp>

#include "gather.hpp"
#include "loop.hpp"
#include "run.hpp"
#include "slow_server.hpp"
#include "task.hpp"
#include "tcp_stream.hpp"
#include "uv_error.hpp"

namespace fetch {

std::vector<std::string> with_threads(int port, const std::vector<int>& items) {
  std::vector<std::string> values(items.size());
  std::vector<std::exception_ptr> errors(items.size());
  {
    std::vector<std::jthread> threads;
    threads.reserve(items.size());
    // Start them all first; each writes only its own slots, so they need no lock. Joining each
    // one right after starting it would wait for its answer before asking the next question:
    // the fetches would take the sum of the delays again.
    for (std::size_t i = 0; i < items.size(); ++i) {
      threads.emplace_back([&values, &errors, port, item = items[i], i] {
        try {
          values[i] = slow::fetch_blocking(port, item);
        } catch (...) {
          // An exception may not leave a thread (std::terminate): keep it for the caller.
          errors[i] = std::current_exception();
        }
      });
    }
  }  // the jthreads join here — also when emplace_back threw (no thread left): none runs on
  for (const auto& error : errors) {
    if (error) std::rethrow_exception(error);
  }
  return values;
}

namespace {

// What a child writes back, a line per item: "INDEX VALUE" or "INDEX !what went wrong".
void write_all(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    const auto n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) ::_exit(3);  // the parent is gone: nobody to tell
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
}

// The child's whole life: fetch items[first], items[first + step], ... one after the other,
// reporting each, then _exit — never return into the parent's code (a second copy of the test
// or of main would run on). Exit status 1 when a fetch failed.
[[noreturn]] void fetch_in_child(int port, const std::vector<int>& items, std::size_t first,
                                 std::size_t step, int to_parent) {
  int status = 0;
  for (std::size_t i = first; i < items.size(); i += step) {
    std::string line;
    try {
      line = fmt::format("{} {}\n", i, slow::fetch_blocking(port, items[i]));
    } catch (const std::exception& error) {
      std::string what = error.what();
      std::replace(what.begin(), what.end(), '\n', ' ');
      line = fmt::format("{} !{}\n", i, what);
      status = 1;
    }
    write_all(to_parent, line);
  }
  // _exit, not exit: no atexit handlers or static destructors of the parent's objects, and no
  // flushing of the stdio buffers copied from the parent (their lines would appear twice).
  ::_exit(status);
}

struct Worker {
  pid_t pid = -1;
  course::UniqueFd from_child;
};

// Reads what a child wrote until it closes the pipe (it ended).
std::string read_all(int fd) {
  std::string bytes;
  char buffer[4096];
  for (;;) {
    const auto n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return bytes;
    bytes.append(buffer, static_cast<std::size_t>(n));
  }
}

}  // namespace

std::vector<std::string> with_processes(int port, const std::vector<int>& items, int processes) {
  if (processes < 1) {
    throw std::invalid_argument(
        fmt::format("fetch::with_processes: {} processes: it needs at least one", processes));
  }
  // Teacher's note: no more children than items — an idle child costs a fork for nothing.
  const auto step = std::min<std::size_t>(static_cast<std::size_t>(processes), items.size());
  std::vector<Worker> workers;
  workers.reserve(step);
  std::optional<std::system_error> fork_failed;
  for (std::size_t k = 0; k < step; ++k) {
    int ends[2];
    if (::pipe2(ends, O_CLOEXEC) != 0) {
      fork_failed.emplace(errno, std::generic_category(), "pipe2");
      break;
    }
    course::UniqueFd read_end(ends[0]);
    course::UniqueFd write_end(ends[1]);
    const pid_t pid = ::fork();
    if (pid < 0) {
      fork_failed.emplace(errno, std::generic_category(), "fork");
      break;
    }
    if (pid == 0) {
      read_end.reset();
      fetch_in_child(port, items, k, step, write_end.get());
    }
    // The parent keeps only the read end: when the child ends, its write end is the last one,
    // and read() sees the end of the pipe.
    workers.push_back({pid, std::move(read_end)});
  }

  // Every child is read and waited for, even after a failure: none is left behind, running or
  // as a zombie.
  std::vector<std::string> values(items.size());
  std::vector<std::string> errors(items.size());
  std::vector<bool> answered(items.size(), false);
  std::string child_failed;
  for (Worker& worker : workers) {
    const std::string report = read_all(worker.from_child.get());
    int status = 0;
    while (::waitpid(worker.pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) > 1) {
      child_failed = fmt::format("a child process (pid {}) ended with {} {}", worker.pid,
                                 WIFSIGNALED(status) ? "signal" : "status",
                                 WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
    }
    std::string_view rest = report;
    while (!rest.empty()) {
      const auto newline = rest.find('\n');
      const auto line = rest.substr(0, newline);
      rest.remove_prefix(newline == std::string_view::npos ? rest.size() : newline + 1);
      const auto space = line.find(' ');
      std::size_t index = 0;
      const auto [end, error] = std::from_chars(line.data(), line.data() + space, index);
      if (space == std::string_view::npos || error != std::errc{} || index >= items.size()) {
        continue;
      }
      const auto text = line.substr(space + 1);
      if (text.starts_with('!')) {
        errors[index] = std::string(text.substr(1));
      } else {
        values[index] = std::string(text);
      }
      answered[index] = true;
    }
  }
  if (fork_failed) throw *fork_failed;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (!errors[i].empty()) throw std::runtime_error(errors[i]);
    if (!answered[i]) {
      throw std::runtime_error(
          fmt::format("item {}: no answer came back from the child processes{}", items[i],
                      child_failed.empty() ? "" : ": " + child_failed));
    }
  }
  return values;
}

namespace {

// One fetch on the loop: it reads like the blocking one, and waits without blocking anybody.
uvx::Task<std::string> fetch_one(uvx::Loop& loop, int port, int item) {
  try {
    uvx::TcpStream stream = co_await uvx::TcpStream::connect(loop, port);
    co_await stream.write(slow::request_line(item));
    // A read gives what has arrived, not a line: the answer may come in pieces. Reads of a few
    // hundred bytes: an answer is under 40, and a waiting read may hold its whole buffer.
    std::string answer;
    while (answer.find('\n') == std::string::npos) {
      std::string bytes = co_await stream.read(256);
      if (bytes.empty()) {
        throw std::runtime_error(
            fmt::format("item {}: the server closed the connection without answering", item));
      }
      answer += bytes;
    }
    co_return slow::parse_answer(item, answer);
  } catch (const uvx::UvError& error) {
    // libuv's error says what failed (a refused connect, a reset), not which item it was for.
    throw std::runtime_error(fmt::format("item {}: {}", item, error.what()));
  }
}

}  // namespace

std::vector<std::string> on_the_loop(int port, const std::vector<int>& items) {
  uvx::Loop loop;
  std::vector<uvx::Task<std::string>> tasks;
  tasks.reserve(items.size());
  for (const int item : items) tasks.push_back(fetch_one(loop, port, item));
  // gather starts every task (each connects and waits), then collects them in order. The
  // streams close as their tasks end; the loop's destructor runs the last close callbacks.
  return uvx::run(loop, uvx::gather(std::move(tasks)));
}

}  // namespace fetch
