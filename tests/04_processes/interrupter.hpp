// Interrupts one thread with a signal every millisecond, the way a program's timer or a child's
// SIGCHLD would: a read(), write() or waitpid() blocked in that thread then fails with EINTR
// (the handler is installed without SA_RESTART, as many programs' handlers are), and the code
// under test must simply call it again.
//
// The signals are sent to one thread (pthread_kill), not to the process: a signal sent to the
// process may go to any of its threads — the deadline's watchdog, or the test's other thread —
// and miss the code under test.
#pragma once

#include <atomic>
#include <chrono>
#include <thread>

#include <pthread.h>
#include <signal.h>

namespace processes_testing {

extern "C" inline void ignore_interruption(int /*signal*/) {}

class Interrupter {
 public:
  // Interrupts the calling thread until destroyed. Destroy it on that thread, before it ends.
  Interrupter() : target_(::pthread_self()) {
    struct sigaction action {};
    action.sa_handler = ignore_interruption;
    sigemptyset(&action.sa_mask);
    action.sa_flags = 0;  // no SA_RESTART: blocked calls fail with EINTR
    ::sigaction(SIGUSR1, &action, &previous_);
    sender_ = std::jthread([this](const std::stop_token& stop) {
      while (!stop.stop_requested()) {
        ::pthread_kill(target_, SIGUSR1);
        sent_.fetch_add(1, std::memory_order_relaxed);
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
      }
    });
  }
  Interrupter(const Interrupter&) = delete;
  Interrupter& operator=(const Interrupter&) = delete;
  ~Interrupter() {
    sender_.request_stop();
    sender_.join();
    ::sigaction(SIGUSR1, &previous_, nullptr);
  }

  [[nodiscard]] long sent() const { return sent_.load(std::memory_order_relaxed); }

 private:
  pthread_t target_;
  struct sigaction previous_ {};
  std::atomic<long> sent_{0};
  std::jthread sender_;  // last: starts once the members above exist
};

}  // namespace processes_testing
