// Facts about the machine that timing tests, and the grader's report, take into account.
// (A library of its own, course::machine, without gtest: the grader uses it too.)
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace course {

// The cores this process can run on at once: the hardware threads, limited by its CPU
// affinity (taskset, cpusets) and by a cgroup CPU quota (containers), at least 1 — or, where
// COURSE_USABLE_CORES is set (the grader sets it for each test, counted in the grader), that.
// Counted once, at the first call.
unsigned usable_cores();

// The variable the grader passes its count of the cores in.
inline constexpr const char* kUsableCoresVariable = "COURSE_USABLE_CORES";

// Pins the calling thread to the index-th CPU this process may run on (counting from 0, modulo
// how many there are); false if the system refuses. For race hunts: two threads that must run at
// the same moment, pinned to different CPUs, can never be made to share one by the scheduler —
// beside a busy process it otherwise sometimes puts both on one core for seconds, and then they
// only ever take turns.
bool pin_this_thread_to_cpu(unsigned index);

// pin_this_thread_to_cpu for a scope: the calling thread runs on that one CPU while this lives,
// and on the CPUs it had before once it is destroyed (on the same thread). For a job run on a
// pool's worker, which must leave the worker as it found it.
class PinnedThread {
 public:
  explicit PinnedThread(unsigned index);
  ~PinnedThread();
  PinnedThread(const PinnedThread&) = delete;
  PinnedThread& operator=(const PinnedThread&) = delete;

  [[nodiscard]] bool pinned() const noexcept { return pinned_; }

 private:
  std::vector<int> cpus_before_;
  bool pinned_ = false;
};

// The processor's model name from /proc/cpuinfo, e.g. "Intel(R) Xeon(R) Platinum 8375C".
std::optional<std::string> cpu_model();

// The 1-minute load average: about how many threads wanted a CPU, lately.
std::optional<double> load_average();

// The CPU time all processes of the machine have used since it started, on all its cores
// together (/proc/stat). Two readings tell how busy the machine was in between.
std::optional<std::chrono::milliseconds> machine_cpu_time();

// How many threads this process has right now (/proc/self/task), its main thread included.
int threads_in_this_process();

}  // namespace course
