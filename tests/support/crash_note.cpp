#include <array>
#include <atomic>
#include <csignal>

#include <unistd.h>

#include <course/crash_note.hpp>

namespace course {
namespace {

constexpr std::array kSignals{SIGSEGV, SIGABRT, SIGBUS, SIGFPE, SIGILL};
// Enough for the handler, and for a sanitizer's report once the signal goes back to it.
constexpr std::size_t kSignalStackBytes = 256 * 1024;

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
    // A stack overflow faults with no stack left to run a handler on: the handler gets its own.
    signal_stack_ = std::make_unique<std::byte[]>(kSignalStackBytes);
    stack_t ours_stack{};
    ours_stack.ss_sp = signal_stack_.get();
    ours_stack.ss_size = kSignalStackBytes;
    if (::sigaltstack(&ours_stack, &stack_before_) != 0) signal_stack_.reset();
    struct sigaction ours {};
    ours.sa_handler = on_crash;
    ours.sa_flags = SA_ONSTACK;
    sigemptyset(&ours.sa_mask);
    for (std::size_t i = 0; i < kSignals.size(); ++i) ::sigaction(kSignals[i], &ours, &before[i]);
  }
  current.store(&line_);
}

CrashNote::~CrashNote() {
  current.store(outer_);
  if (outer_ == nullptr) {
    for (std::size_t i = 0; i < kSignals.size(); ++i) ::sigaction(kSignals[i], &before[i], nullptr);
    if (signal_stack_) ::sigaltstack(&stack_before_, nullptr);
  }
}

}  // namespace course
