#include <array>
#include <atomic>
#include <csignal>

#include <unistd.h>

#include <course/crash_note.hpp>

namespace course {
namespace {

constexpr std::array kSignals{SIGSEGV, SIGABRT, SIGBUS, SIGFPE, SIGILL};

// The innermost note in scope. A signal handler may only read it: an atomic pointer to a
// string that its CrashNote keeps alive and unchanged.
std::atomic<const std::string*> current{nullptr};
// What each signal did before the first note: the handler hands the signal back to it.
std::array<struct sigaction, kSignals.size()> before{};

void on_crash(int signal) {
  if (const std::string* line = current.load()) {
    // write(2) is async-signal-safe; nothing else here may allocate or lock.
    [[maybe_unused]] const auto written = ::write(STDERR_FILENO, line->data(), line->size());
  }
  for (std::size_t i = 0; i < kSignals.size(); ++i) {
    if (kSignals[i] == signal) ::sigaction(signal, &before[i], nullptr);
  }
  // Blocked until this handler returns; then the earlier action takes it (a fault re-faults).
  ::raise(signal);
}

}  // namespace

CrashNote::CrashNote(std::string text)
    : line_("[  CRASHED ] " + std::move(text) + "\n"), outer_(current.load()) {
  if (outer_ == nullptr) {
    struct sigaction ours {};
    ours.sa_handler = on_crash;
    sigemptyset(&ours.sa_mask);
    for (std::size_t i = 0; i < kSignals.size(); ++i) ::sigaction(kSignals[i], &ours, &before[i]);
  }
  current.store(&line_);
}

CrashNote::~CrashNote() {
  current.store(outer_);
  if (outer_ == nullptr) {
    for (std::size_t i = 0; i < kSignals.size(); ++i) ::sigaction(kSignals[i], &before[i], nullptr);
  }
}

}  // namespace course
