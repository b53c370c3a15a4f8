// What a process costs, against a thread: starting one, and moving data to it.
//
//   build/demos/04_processes/costs
#include <chrono>
#include <cstring>
#include <string>
#include <thread>

#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>

#include "pipe_io.hpp"
#include "unique_fd.hpp"

namespace {

using Clock = std::chrono::steady_clock;

double microseconds_since(Clock::time_point start) {
  return std::chrono::duration<double, std::micro>(Clock::now() - start).count();
}

constexpr int kStarts = 200;
constexpr std::size_t kBytes = 64 << 20;

}  // namespace

int main() {
  // Starting: a thread that does nothing, joined; a process that does nothing, waited for.
  auto start = Clock::now();
  for (int i = 0; i < kStarts; ++i) std::thread([] {}).join();
  const double thread_us = microseconds_since(start) / kStarts;
  start = Clock::now();
  for (int i = 0; i < kStarts; ++i) {
    const pid_t pid = ::fork();
    if (pid == 0) ::_exit(0);
    ::waitpid(pid, nullptr, 0);
  }
  const double process_us = microseconds_since(start) / kStarts;
  fmt::print("start and end a thread:  {:7.1f} µs\n", thread_us);
  fmt::print("start and end a process: {:7.1f} µs ({:.0f}× a thread)\n", process_us,
             process_us / thread_us);

  // Moving 64 MB to the parent: through a pipe (copied into the kernel and out again), or through
  // memory both processes share (mmap'ed before the fork: the child writes, the parent reads).
  start = Clock::now();
  {
    auto pipe = processes::make_pipe();
    const pid_t pid = ::fork();
    if (pid == 0) {
      pipe.read.reset();
      processes::write_all(pipe.write.get(), std::string(kBytes, 'x'));
      ::_exit(0);
    }
    pipe.write.reset();
    (void)processes::read_exactly(pipe.read.get(), kBytes);
    ::waitpid(pid, nullptr, 0);
  }
  const double pipe_ms = microseconds_since(start) / 1000;
  start = Clock::now();
  {
    void* shared =
        ::mmap(nullptr, kBytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    const pid_t pid = ::fork();
    if (pid == 0) {
      std::memset(shared, 'x', kBytes);
      ::_exit(0);
    }
    ::waitpid(pid, nullptr, 0);
    volatile char last = static_cast<char*>(shared)[kBytes - 1];
    (void)last;
    ::munmap(shared, kBytes);
  }
  const double shared_ms = microseconds_since(start) / 1000;
  fmt::print("64 MB from a child, through a pipe:     {:6.1f} ms\n", pipe_ms);
  fmt::print("64 MB from a child, in shared memory:   {:6.1f} ms\n", shared_ms);
}
