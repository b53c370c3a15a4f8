// grader-sandbox: runs one test program with less power than the grader that starts it.
//
//   grader-sandbox [--user UID:GID] [--limit NAME=VALUE]... [--report-fd N] [--no-namespace]
//                  -- PROGRAM ARGS...
//   grader-sandbox --probe [--user UID:GID] PROGRAM    what it can do here, on one line
//
// What it does, as far as the kernel allows (--probe says which):
// - a PID namespace of its own (as root; otherwise inside a user namespace of its own): the test
//   program is not the namespace's first process, a small init of ours is. When the program
//   ends, init names every process it left running, kills them all — a process in a namespace
//   cannot leave it, however it forks or setsids — and reports them on --report-fd as one line,
//   "sandbox: left N: NAME (PID), ...", written after the program ended, so it cannot forge it.
//   A private /proc shows the program its own processes only: not the grader to signal.
// - as root, --user runs the program as that user (nobody): it cannot write the sources, the
//   build tree or the reports, nor signal the grader.
// - --limit sets resource limits (setrlimit) on the program: core, fsize, as, nproc, cpu.
// It ends the way the program ended: the same exit code, or killed by the same signal.
// Without a namespace (refused by the kernel), it only sets the limits and becomes the program.
#include <cerrno>
#include <charconv>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <course/process_table.hpp>

namespace {

struct Limit {
  int resource;
  rlim_t value;
};

struct User {
  uid_t uid;
  gid_t gid;
};

struct Options {
  std::optional<User> user;
  std::vector<Limit> limits;
  int report_fd = -1;
  bool probe = false;
  bool namespaces = true;      // --no-namespace: where --probe found that they do not work
  std::vector<char*> program;  // argv, ending in nullptr
};

[[noreturn]] void fail(const std::string& what) {
  std::fprintf(stderr, "grader-sandbox: %s\n", what.c_str());
  std::fflush(stderr);
  ::_exit(125);
}

std::string error_text(const char* what) {
  return std::string(what) + ": " + std::strerror(errno);
}

template <typename Number>
Number number(std::string_view text, std::string_view option) {
  Number value{};
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size())
    fail("not a number in " + std::string(option) + ": " + std::string(text));
  return value;
}

Limit limit(std::string_view text) {
  const auto equals = text.find('=');
  if (equals == std::string_view::npos) fail("--limit takes NAME=VALUE: " + std::string(text));
  const std::string_view name = text.substr(0, equals);
  const rlim_t value = number<rlim_t>(text.substr(equals + 1), "--limit");
  if (name == "core") return {RLIMIT_CORE, value};
  if (name == "fsize") return {RLIMIT_FSIZE, value};
  if (name == "as") return {RLIMIT_AS, value};
  if (name == "nproc") return {RLIMIT_NPROC, value};
  if (name == "cpu") return {RLIMIT_CPU, value};
  fail("no such limit: " + std::string(name));
}

Options parse(int argc, char** argv) {
  Options options;
  int at = 1;
  for (; at < argc; ++at) {
    const std::string_view argument = argv[at];
    const bool has_value = at + 1 < argc;
    if (argument == "--") {
      ++at;
      break;
    }
    if (argument == "--probe") {
      options.probe = true;
    } else if (argument == "--no-namespace") {
      options.namespaces = false;
    } else if (argument == "--user" && has_value) {
      const std::string_view text = argv[++at];
      const auto colon = text.find(':');
      if (colon == std::string_view::npos) fail("--user takes UID:GID");
      options.user = User{number<uid_t>(text.substr(0, colon), "--user"),
                          number<gid_t>(text.substr(colon + 1), "--user")};
    } else if (argument == "--limit" && has_value) {
      options.limits.push_back(limit(argv[++at]));
    } else if (argument == "--report-fd" && has_value) {
      options.report_fd = number<int>(argv[++at], "--report-fd");
    } else if (options.probe && !argument.starts_with("-")) {
      break;
    } else {
      fail("unknown option " + std::string(argument) + " (see the comment atop sandbox.cpp)");
    }
  }
  for (; at < argc; ++at) options.program.push_back(argv[at]);
  if (options.program.empty()) fail("no program to run");
  options.program.push_back(nullptr);
  return options;
}

bool write_file(const char* path, std::string_view text) {
  std::ofstream file(path);
  file << text;
  file.flush();
  return static_cast<bool>(file);
}

// A PID namespace (and a mount namespace, for a /proc of its own) for the children this process
// starts next. As root, directly; otherwise inside a user namespace where this user is itself.
bool enter_namespaces() {
  if (::geteuid() == 0) return ::unshare(CLONE_NEWPID | CLONE_NEWNS) == 0;
  const uid_t uid = ::geteuid();
  const gid_t gid = ::getegid();
  if (::unshare(CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNS) != 0) return false;
  return write_file("/proc/self/setgroups", "deny") &&
         write_file("/proc/self/uid_map", std::to_string(uid) + " " + std::to_string(uid) + " 1") &&
         write_file("/proc/self/gid_map", std::to_string(gid) + " " + std::to_string(gid) + " 1");
}

// In the new namespaces' first process: a /proc that shows this namespace's processes only.
bool mount_own_proc() {
  return ::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) == 0 &&
         ::mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, nullptr) == 0;
}

// In the child that becomes the test program: limits, then the user, then the program.
[[noreturn]] void become_program(const Options& options) {
  for (const Limit& limit : options.limits) {
    const rlimit value{limit.value, limit.value};
    if (::setrlimit(limit.resource, &value) != 0) fail(error_text("setrlimit"));
  }
  if (options.user && ::geteuid() == 0) {
    if (::setgroups(0, nullptr) != 0 || ::setgid(options.user->gid) != 0 ||
        ::setuid(options.user->uid) != 0)
      fail(error_text("could not become the test's user"));
  }
  // Nothing it executes can gain privileges (a set-user-ID program, file capabilities).
  ::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
  sigset_t none;
  sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
  ::execvp(options.program[0], options.program.data());
  fail(error_text((std::string("could not start ") + options.program[0]).c_str()));
}

// The namespace's init: starts the program, adopts what it abandons, and when the program ends,
// names and kills what is left. Sends "STATUS N NAMES" to `to_outside`.
[[noreturn]] void init(const Options& options, int to_outside) {
  if (!mount_own_proc()) fail(error_text("could not mount a /proc of the sandbox's own"));
  const pid_t program = ::fork();
  if (program < 0) fail(error_text("fork"));
  if (program == 0) {
    ::close(to_outside);
    become_program(options);
  }
  int status = 0;
  for (;;) {
    int reaped_status = 0;
    const pid_t reaped = ::waitpid(-1, &reaped_status, 0);
    if (reaped == program) {
      status = reaped_status;
      break;
    }
    if (reaped < 0 && errno != EINTR) fail(error_text("waitpid"));
  }
  // Stop what is left first, so that nothing forks while it is listed, then name and kill it.
  ::kill(-1, SIGSTOP);
  std::string names;
  int left = 0;
  for (const course::ProcessInfo& process : course::list_processes()) {
    if (process.pid == 1 || process.state == 'Z') continue;
    ++left;
    if (left <= 8) {
      names +=
          (names.empty() ? "" : ", ") + process.name + " (" + std::to_string(process.pid) + ")";
    }
  }
  if (left > 8) names += ", ...";
  ::kill(-1, SIGKILL);
  while (::waitpid(-1, nullptr, 0) > 0 || errno == EINTR) {
  }
  const std::string report = std::to_string(status) + " " + std::to_string(left) + " " + names;
  if (::write(to_outside, report.data(), report.size()) < 0) fail(error_text("write"));
  ::_exit(0);
}

// Ends this process the way the program ended.
[[noreturn]] void end_like(int status) {
  if (WIFSIGNALED(status)) {
    const int signal = WTERMSIG(status);
    const rlimit no_core{0, 0};
    ::setrlimit(RLIMIT_CORE, &no_core);
    std::signal(signal, SIG_DFL);
    sigset_t just_it;
    sigemptyset(&just_it);
    sigaddset(&just_it, signal);
    ::sigprocmask(SIG_UNBLOCK, &just_it, nullptr);
    ::raise(signal);
    ::_exit(128 + signal);
  }
  ::_exit(WIFEXITED(status) ? WEXITSTATUS(status) : 125);
}

// The exit code of `check` run in a child process: unshare changes the process that calls it.
template <typename Check>
int in_child(Check check) {
  const pid_t child = ::fork();
  if (child == 0) ::_exit(check());
  int status = 0;
  if (child < 0 || ::waitpid(child, &status, 0) != child) return 1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

// What this machine lets the sandbox do, for the grader to say (one line): "pid-namespace" or
// "no-pid-namespace" (refused, or /proc cannot be mounted in it), then for root " user", or
// " no-user:cannot-run-the-program" (a folder above the program is closed to the user) or
// " no-user".
int probe(const Options& options) {
  const bool namespaces =
      in_child([] {
        if (!enter_namespaces()) return 1;
        return in_child([] { return mount_own_proc() ? 0 : 1; });  // as the namespace's first
      }) == 0;
  std::string said = namespaces ? "pid-namespace" : "no-pid-namespace";
  if (options.user && ::geteuid() == 0) {
    const int user = in_child([&options] {
      if (::setgroups(0, nullptr) != 0 || ::setgid(options.user->gid) != 0 ||
          ::setuid(options.user->uid) != 0)
        return 3;
      return ::access(options.program[0], X_OK) == 0 ? 0 : 4;
    });
    said += user == 0 ? " user" : user == 4 ? " no-user:cannot-run-the-program" : " no-user";
  }
  std::printf("%s\n", said.c_str());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const Options options = parse(argc, argv);
  if (options.probe) return probe(options);
  if (!options.namespaces || !enter_namespaces()) become_program(options);

  int pipe_ends[2];
  if (::pipe2(pipe_ends, O_CLOEXEC) != 0) fail(error_text("pipe"));
  const pid_t first = ::fork();
  if (first < 0) fail(error_text("fork"));
  if (first == 0) {
    ::close(pipe_ends[0]);
    init(options, pipe_ends[1]);
  }
  ::close(pipe_ends[1]);
  if (options.report_fd >= 0) ::fcntl(options.report_fd, F_SETFD, FD_CLOEXEC);
  std::string report;
  char buffer[1024];
  for (;;) {
    const ssize_t got = ::read(pipe_ends[0], buffer, sizeof buffer);
    if (got > 0) {
      report.append(buffer, static_cast<std::size_t>(got));
    } else if (got == 0 || errno != EINTR) {
      break;
    }
  }
  while (::waitpid(first, nullptr, 0) < 0 && errno == EINTR) {
  }
  // "STATUS LEFT NAMES"
  const auto space = report.find(' ');
  const auto second = report.find(' ', space == std::string::npos ? 0 : space + 1);
  if (space == std::string::npos || second == std::string::npos)
    fail("the sandbox's init ended without a report (killed?)");
  const int status = number<int>(std::string_view(report).substr(0, space), "report");
  const int left =
      number<int>(std::string_view(report).substr(space + 1, second - space - 1), "report");
  if (options.report_fd >= 0) {
    // A line of its own, after whatever the program wrote there.
    const std::string line =
        "\nsandbox: left " + std::to_string(left) + ": " + report.substr(second + 1) + "\n";
    if (::write(options.report_fd, line.data(), line.size()) < 0) fail(error_text("write"));
  }
  end_like(status);
}
