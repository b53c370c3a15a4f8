#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>

#include <course/process_table.hpp>
#include <course/run_process.hpp>
#include <course/unique_fd.hpp>

extern char** environ;

namespace course {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// Keeps the first and last `limit / 2` bytes of a stream and counts the rest.
class CappedOutput {
 public:
  explicit CappedOutput(std::size_t limit) : half_(std::max<std::size_t>(limit / 2, 1)) {}

  void append(const char* data, std::size_t size) {
    total_ += size;
    const std::size_t to_head = std::min(size, half_ - std::min(half_, head_.size()));
    head_.append(data, to_head);
    tail_.append(data + to_head, size - to_head);
    if (tail_.size() > 2 * half_) tail_.erase(0, tail_.size() - half_);
  }

  [[nodiscard]] std::size_t total() const { return total_; }

  [[nodiscard]] std::string text() const {
    const std::size_t kept_tail = std::min(tail_.size(), half_);
    const std::size_t cut = total_ - head_.size() - kept_tail;
    if (cut == 0) return head_ + tail_;
    return fmt::format("{}\n[... {} bytes of output cut here ...]\n{}", head_, cut,
                       tail_.substr(tail_.size() - kept_tail));
  }

 private:
  std::size_t half_;
  std::string head_;
  std::string tail_;
  std::size_t total_ = 0;
};

// The environment for the child: ours, with the request's variables set on top.
std::vector<std::string> child_environment(const ProcessRequest& request) {
  std::map<std::string, std::string> variables;
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    const std::string text(*entry);
    const auto equals = text.find('=');
    if (equals != std::string::npos) variables[text.substr(0, equals)] = text.substr(equals + 1);
  }
  for (const auto& [name, value] : request.environment) variables[name] = value;
  std::vector<std::string> result;
  result.reserve(variables.size());
  for (const auto& [name, value] : variables) result.push_back(name + "=" + value);
  return result;
}

std::vector<char*> pointers_to(std::vector<std::string>& strings) {
  std::vector<char*> pointers;
  pointers.reserve(strings.size() + 1);
  for (auto& text : strings) pointers.push_back(text.data());
  pointers.push_back(nullptr);
  return pointers;
}

// Whether `pid` descends from `ancestor`, by the parents in `parent_of`.
bool descends_from(pid_t pid, pid_t ancestor, const std::map<pid_t, pid_t>& parent_of) {
  for (int depth = 0; depth < 100'000 && pid > 1; ++depth) {
    const auto parent = parent_of.find(pid);
    if (parent == parent_of.end()) return false;
    if (parent->second == ancestor) return true;
    pid = parent->second;
  }
  return false;
}

// Kills what the program left running: the rest of its process group and, with `orphans_too`,
// every process below this one — those it started outside its group (setsid), however deep,
// whether they came to us when their parent ended or not. Each round stops all it finds before
// it kills them, so that none forks a new one meanwhile; a chain that forks on is gone in a
// round or two.
int kill_leftovers(pid_t group, bool orphans_too) {
  const pid_t me = ::getpid();
  int killed = 0;
  for (int round = 0; round < 200; ++round) {
    const std::vector<ProcessInfo> processes = list_processes();
    std::map<pid_t, pid_t> parent_of;
    for (const ProcessInfo& process : processes) parent_of[process.pid] = process.parent;
    std::vector<pid_t> found;
    for (const ProcessInfo& process : processes) {
      if (process.state == 'Z') continue;  // dead already: waiting for it is all that is left
      if (process.group == group || (orphans_too && descends_from(process.pid, me, parent_of))) {
        found.push_back(process.pid);
      }
    }
    for (const pid_t pid : found) ::kill(pid, SIGSTOP);
    for (const pid_t pid : found) ::kill(pid, SIGKILL);
    // Reap the adopted children that died (those killed, and those that ended on their own).
    while (orphans_too && ::waitpid(-1, nullptr, WNOHANG) > 0) {
    }
    if (found.empty()) break;
    killed += static_cast<int>(found.size());
    std::this_thread::sleep_for(milliseconds(5));
  }
  return killed;
}

// A descriptor that becomes readable when `pid` ends (Linux ≥ 5.3), or an invalid one.
UniqueFd exit_notifier(pid_t pid) {
#ifdef SYS_pidfd_open
  return UniqueFd(static_cast<int>(::syscall(SYS_pidfd_open, pid, 0)));
#else
  (void)pid;
  return UniqueFd();
#endif
}

}  // namespace

std::string signal_name(int signal) {
  if (const char* abbreviation = sigabbrev_np(signal)) return fmt::format("SIG{}", abbreviation);
  return fmt::format("signal {}", signal);
}

ProcessResult run_process(const ProcessRequest& request) {
  ProcessResult result;
  const auto start = Clock::now();
  if (request.argv.empty()) {
    result.output = "no program to run";
    return result;
  }

  // Processes the program starts and abandons (after a double fork, or setsid) become our
  // children instead of init's, so that they can be found and killed.
  if (request.adopt_orphans) ::prctl(PR_SET_CHILD_SUBREAPER, 1);

  int pipe_ends[2];
  if (::pipe2(pipe_ends, O_CLOEXEC) != 0) {
    result.output = fmt::format("could not make a pipe: {}", std::strerror(errno));
    return result;
  }
  UniqueFd read_end(pipe_ends[0]);
  UniqueFd write_end(pipe_ends[1]);
  UniqueFd results_read;
  UniqueFd results_write;
  if (request.results_fd >= 3) {
    if (::pipe2(pipe_ends, O_CLOEXEC) != 0) {
      result.output = fmt::format("could not make a pipe: {}", std::strerror(errno));
      return result;
    }
    results_read = UniqueFd(pipe_ends[0]);
    results_write = UniqueFd(pipe_ends[1]);
    if (results_write.get() == request.results_fd) {
      // dup2 onto itself would leave close-on-exec set: move it first.
      results_write = UniqueFd(::fcntl(results_write.get(), F_DUPFD_CLOEXEC, 10));
    }
  }

  // posix_spawnp rather than fork: it is safe in a process with threads, it finds a bare
  // program name on the PATH, and it reports a
  // program that cannot be executed as an error instead of a child that exits 127.
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  const int output_to = request.output_fd >= 0 ? request.output_fd : write_end.get();
  posix_spawn_file_actions_adddup2(&actions, output_to, STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, output_to, STDERR_FILENO);
  if (results_write.valid()) {
    posix_spawn_file_actions_adddup2(&actions, results_write.get(), request.results_fd);
  }
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  // A process group of its own, so that the deadline can kill everything the program started.
  posix_spawnattr_setpgroup(&attributes, 0);
  // Default signal dispositions, whatever this process ignores.
  sigset_t all_signals;
  sigfillset(&all_signals);
  posix_spawnattr_setsigdefault(&attributes, &all_signals);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF);

  std::vector<std::string> arguments = request.argv;
  std::vector<std::string> environment = child_environment(request);
  auto argv = pointers_to(arguments);
  auto envp = pointers_to(environment);
  pid_t pid = 0;
  const int spawn_error =
      ::posix_spawnp(&pid, argv[0], &actions, &attributes, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  write_end.reset();
  results_write.reset();
  if (spawn_error != 0) {
    result.output =
        fmt::format("could not start {}: {}", request.argv[0], std::strerror(spawn_error));
    return result;
  }

  const auto deadline = start + request.deadline;
  const UniqueFd exited = exit_notifier(pid);
  CappedOutput output(request.output_limit);
  CappedOutput results(request.output_limit);
  std::array<char, 16 * 1024> buffer{};
  int status = 0;
  rusage usage{};
  bool done = false;
  const auto kill_group = [&](Ending ending) {
    ::kill(-pid, SIGKILL);
    ::wait4(pid, &status, 0, &usage);
    result.ending = ending;
    done = true;
  };
  while (!done) {
    // Wait for output, for the end of the process, or for the deadline; without a pidfd, look
    // at the process every 10 ms (and at the cancel flag: a signal interrupts poll anyway).
    std::array<pollfd, 3> watched{
        {{read_end.get(), POLLIN, 0}, {exited.get(), POLLIN, 0}, {results_read.get(), POLLIN, 0}}};
    const auto left = std::chrono::duration_cast<milliseconds>(deadline - Clock::now());
    const int timeout = static_cast<int>(std::clamp<milliseconds::rep>(
        left.count(), 0, exited.valid() ? std::min<milliseconds::rep>(left.count(), 100) : 10));
    const int ready = ::poll(watched.data(), watched.size(), timeout);
    if (ready < 0 && errno != EINTR) std::this_thread::sleep_for(milliseconds(10));
    if (ready > 0 && read_end.valid() && (watched[0].revents & (POLLIN | POLLHUP)) != 0) {
      const ssize_t got = ::read(read_end.get(), buffer.data(), buffer.size());
      if (got > 0) {
        output.append(buffer.data(), static_cast<std::size_t>(got));
      } else if (got == 0) {
        read_end.reset();  // every writer has closed it; poll ignores a negative descriptor
      }
    }
    if (ready > 0 && results_read.valid() && (watched[2].revents & (POLLIN | POLLHUP)) != 0) {
      const ssize_t got = ::read(results_read.get(), buffer.data(), buffer.size());
      if (got > 0) {
        results.append(buffer.data(), static_cast<std::size_t>(got));
      } else if (got == 0) {
        results_read.reset();
      }
    }
    if (::wait4(pid, &status, WNOHANG, &usage) == pid) {
      done = true;
    } else if (request.cancel != nullptr && request.cancel->load()) {
      kill_group(Ending::cancelled);
    } else if (Clock::now() >= deadline) {
      kill_group(Ending::timed_out);
    }
  }
  result.cpu_time = std::chrono::duration_cast<milliseconds>(
      std::chrono::seconds(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
      std::chrono::microseconds(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec));

  // Whatever the program started and left running dies with it.
  result.leftovers_killed = kill_leftovers(pid, request.adopt_orphans);

  // Read what is still in the pipe. A process that left the group may still hold it open,
  // so give this a second at most.
  const auto drain_until = Clock::now() + std::chrono::seconds(1);
  while (read_end.valid() && Clock::now() < drain_until) {
    pollfd watched{read_end.get(), POLLIN, 0};
    if (::poll(&watched, 1, 100) <= 0) continue;
    const ssize_t got = ::read(read_end.get(), buffer.data(), buffer.size());
    if (got <= 0) break;
    output.append(buffer.data(), static_cast<std::size_t>(got));
  }
  while (results_read.valid() && Clock::now() < drain_until) {
    pollfd watched{results_read.get(), POLLIN, 0};
    if (::poll(&watched, 1, 100) <= 0) continue;
    const ssize_t got = ::read(results_read.get(), buffer.data(), buffer.size());
    if (got <= 0) break;
    results.append(buffer.data(), static_cast<std::size_t>(got));
  }

  if (result.ending != Ending::timed_out && result.ending != Ending::cancelled) {
    if (WIFEXITED(status)) {
      result.ending = Ending::exited;
      result.exit_code = WEXITSTATUS(status);
    } else if (WIFSIGNALED(status)) {
      result.ending = Ending::killed_by_signal;
      result.signal = WTERMSIG(status);
    }
  }
  result.output = output.text();
  result.results = results.text();
  result.output_bytes = output.total();
  result.elapsed = std::chrono::duration_cast<milliseconds>(Clock::now() - start);
  return result;
}

}  // namespace course
