// The watchdog behind course/deadline.hpp, and the gtest listener that arms it for each test.
#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <future>
#include <memory>
#include <mutex>
#include <sstream>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <course/children.hpp>
#include <course/deadline.hpp>
#include <course/machine.hpp>
#include <course/sanitizer.hpp>

#include "deadline_watchdog.hpp"
#include "thread_dump.hpp"

namespace course {
namespace {

using Clock = std::chrono::steady_clock;

constexpr std::chrono::milliseconds kDefaultBudget{5000};
constexpr auto kNotesBudget = std::chrono::seconds(1);
// gdb shows 500 threads in 1.3 s on an idle 2-core machine; its report is cut short after this.
constexpr std::chrono::milliseconds kBacktraceBudget{2'000};

// How much slower the code runs under this build's sanitizer (measured on chapter tests:
// ThreadSanitizer 5-15x, AddressSanitizer 2-3x), so deadlines do not mistake slow for stuck.
double sanitizer_slowdown() {
  if (sanitizer() == "thread") return 10.0;
  if (sanitizer() == "address") return 4.0;
  return 1.0;
}

// Holds a T that is never destroyed. The watchdog's thread runs until the process ends, so
// the objects it uses must outlive every static destructor: destroying a condition variable
// that a thread still waits on is undefined behaviour.
template <class T>
class NeverDestroyed {
 public:
  NeverDestroyed() { std::construct_at(&value_); }
  NeverDestroyed(const NeverDestroyed&) = delete;
  NeverDestroyed& operator=(const NeverDestroyed&) = delete;
  ~NeverDestroyed() {}  // deliberately leaves value_ alone
  T& get() { return value_; }

 private:
  union {
    T value_;
  };
};

// Set once a deadline has passed; the process is ending with kDeadlineExitCode.
std::atomic<bool>& expired() {
  static std::atomic<bool> flag{false};
  return flag;
}

// Called on the test's own thread where it could otherwise report success: once the deadline
// has passed, it waits for the watchdog's thread to end the process.
void hold_if_expired() {
  while (expired().load()) std::this_thread::sleep_for(std::chrono::seconds(1));
}

class Watchdog {
 public:
  // Returns once the watchdog's thread waits for its first test. The first test may fork at
  // once, and a child is a copy of the process at that moment: a thread caught halfway through
  // starting holds locks (the C library's, a sanitizer's) that would stay locked in the child.
  Watchdog() : thread_([this] { watch(); }) {
    std::unique_lock lock(mutex_);
    wake_.wait(lock, [this] { return watching_; });
  }

  void arm(std::string subject, Millis budget) {
    const std::lock_guard lock(mutex_);
    subject_ = std::move(subject);
    set_budget(budget);
    notes_.clear();
    armed_ = true;
    wake_.notify_one();
  }

  void rearm(Millis budget) {
    const std::lock_guard lock(mutex_);
    set_budget(budget);
    wake_.notify_one();
  }

  void disarm() {
    const std::lock_guard lock(mutex_);
    armed_ = false;
    notes_.clear();
    wake_.notify_one();
  }

  long add_note(std::function<std::string()> note) {
    const std::lock_guard lock(mutex_);
    notes_.emplace_back(++last_note_id_, std::move(note));
    return last_note_id_;
  }

  void remove_note(long id) {
    const std::lock_guard lock(mutex_);
    std::erase_if(notes_, [id](const auto& entry) { return entry.first == id; });
  }

 private:
  void set_budget(Millis budget) {
    budget_ = budget;
    due_ = Clock::now() + std::chrono::duration_cast<Clock::duration>(budget);
  }

  void watch() {
    std::unique_lock lock(mutex_);
    watching_ = true;
    wake_.notify_all();  // the constructor; it sees watching_ once this thread waits below
    while (true) {
      if (!armed_) {
        wake_.wait(lock);
      } else if (Clock::now() < due_) {
        wake_.wait_until(lock, due_);
      } else {
        const std::string subject = subject_;
        const Millis budget = budget_;
        const auto notes = notes_;
        lock.unlock();
        expire(subject, budget, notes);
      }
    }
  }

  [[noreturn]] static void expire(
      const std::string& subject, Millis budget,
      const std::vector<std::pair<long, std::function<std::string()>>>& notes) {
    // From here on the test must not pass: ending its children below may let its main thread
    // finish the test body, and gtest would then print "[ OK ]" and exit 0 before _Exit runs.
    // The listener holds the main thread at the test's end, and at exit, while this is set.
    expired().store(true);
    say(fmt::format("{} did not finish within {}.", subject, format_millis(budget)));
    say("Something in it is stuck: a thread waits for what never happens (a join, a lock,");
    say("a condition variable, a future) or a loop never ends.");
    // The test's own notes come first: they are the most specific hint. They and the flush of
    // gtest's buffered output run on a helper thread that is given one second: a stuck thread
    // may hold a lock they need, and the deadline must still end the process.
    std::promise<void> written;
    auto done = written.get_future();
    std::thread([&notes, &written] {
      std::fflush(stdout);
      for (const auto& [id, note] : notes) {
        std::fputs(fmt::format("{}\n", note()).c_str(), stderr);
      }
      written.set_value();
    }).detach();
    if (done.wait_for(kNotesBudget) != std::future_status::ready) {
      say("(the notes did not finish: a stuck thread holds what they need)");
    }
    if (const auto threads = detail::describe_threads(
            std::chrono::duration_cast<std::chrono::milliseconds>(scaled(kBacktraceBudget)))) {
      say("Where each thread is, according to gdb:");
      std::istringstream lines(*threads);
      for (std::string line; std::getline(lines, line);) say("  " + line);
    }
    say(time_scale() == 1.0
            ? "The test is stopped here; the other tests go on. (On a slow machine, "
              "COURSE_TIME_SCALE=2 doubles every deadline.)"
            : fmt::format("The test is stopped here; the other tests go on. "
                          "(COURSE_TIME_SCALE={})",
                          time_scale()));
    // Child processes the test started would outlive it: end them first.
    if (const int killed = kill_child_processes(); killed > 0) {
      say(fmt::format("({} child process{} of the test killed)", killed, killed == 1 ? "" : "es"));
    }
    std::_Exit(kDeadlineExitCode);
  }

  // One line of the deadline's message; the marker lets ctest's report and the grader find them.
  static void say(const std::string& line) {
    std::fputs(("[  DEADLINE ] " + line + "\n").c_str(), stderr);
  }

  std::mutex mutex_;
  std::condition_variable wake_;
  bool armed_ = false;
  std::string subject_;
  Millis budget_{0};
  Clock::time_point due_;
  std::vector<std::pair<long, std::function<std::string()>>> notes_;  // id, note
  long last_note_id_ = 0;
  bool watching_ = false;  // set by the thread once it runs
  std::thread thread_;     // last: starts once everything above exists
};

Watchdog& watchdog() {
  static NeverDestroyed<Watchdog> instance;
  return instance.get();
}

// Arms the watchdog when a test starts and disarms it when the test ends; after the last
// test it guards the program's exit too (a thread left running can hang it).
class DeadlineListener : public ::testing::EmptyTestEventListener {
  void OnTestStart(const ::testing::TestInfo& test) override {
    watchdog().arm(fmt::format("test {}.{}", test.test_suite_name(), test.name()),
                   default_deadline());
  }
  // gtest calls OnTestEnd on the listeners last-added first: this runs before the result
  // printer writes "[ OK ]".
  void OnTestEnd(const ::testing::TestInfo& /*test*/) override {
    hold_if_expired();
    watchdog().disarm();
  }
  void OnTestProgramEnd(const ::testing::UnitTest& /*unit*/) override {
    hold_if_expired();
    watchdog().arm("the test program, after its last test,", default_deadline());
  }
};

}  // namespace

Millis stretched(std::chrono::milliseconds budget) {
  return Millis(budget) * time_scale() * sanitizer_slowdown();
}

Millis default_deadline() {
  return stretched(kDefaultBudget);
}

void set_deadline(std::chrono::milliseconds budget) {
  watchdog().rearm(stretched(budget));
}

DeadlineNote::DeadlineNote(std::string text)
    : DeadlineNote(std::function<std::string()>([text = std::move(text)] { return text; })) {}

DeadlineNote::DeadlineNote(std::function<std::string()> note)
    : id_(watchdog().add_note(std::move(note))) {}

DeadlineNote::~DeadlineNote() {
  watchdog().remove_note(id_);
}

namespace detail {

void install_deadline_watchdog() {
  // The watchdog's thread starts now, before the first test, not when that test arms it.
  watchdog();
  // gtest takes ownership of the listeners it is given.
  ::testing::UnitTest::GetInstance()->listeners().Append(
      std::make_unique<DeadlineListener>().release());
  // After the last test, the program's exit must not win the race with a deadline either.
  std::atexit(hold_if_expired);
}

}  // namespace detail
}  // namespace course
