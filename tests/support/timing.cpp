#include <algorithm>
#include <ctime>
#include <iterator>
#include <thread>

#include <sys/resource.h>

#include <fmt/format.h>

#include <course/figures.hpp>
#include <course/timing.hpp>

namespace course {
namespace {

Millis cpu_clock(clockid_t clock) {
  timespec now{};
  clock_gettime(clock, &now);
  return Millis{std::chrono::seconds(now.tv_sec) + std::chrono::nanoseconds(now.tv_nsec)};
}

Millis process_cpu_time() {
  return cpu_clock(CLOCK_PROCESS_CPUTIME_ID);
}

Millis best_of(const std::vector<Millis>& samples) {
  return samples.empty() ? Millis(0) : *std::min_element(samples.begin(), samples.end());
}

std::string list_samples(const std::vector<Millis>& samples) {
  std::string out;
  for (const Millis sample : samples)
    fmt::format_to(std::back_inserter(out), " {:.1f}", sample.count());
  return out;
}

std::string describe_sanitizer(std::string_view name) {
  if (name == "thread") return "ThreadSanitizer";
  if (name == "address") return "AddressSanitizer";
  return std::string(name);
}

}  // namespace

Millis generous(Millis expected) {
  return (expected * 1.5 + Millis(25)) * time_scale();
}

::testing::AssertionResult took_at_least(Millis elapsed, Millis bound) {
  if (elapsed >= bound) {
    return ::testing::AssertionSuccess()
           << "took " << format_millis(elapsed) << ", at least " << format_millis(bound);
  }
  return ::testing::AssertionFailure() << "took " << format_millis(elapsed)
                                       << ", but it cannot take less than " << format_millis(bound);
}

::testing::AssertionResult took_at_most(Millis elapsed, Millis bound) {
  if (elapsed <= bound) {
    return ::testing::AssertionSuccess()
           << "took " << format_millis(elapsed) << ", at most " << format_millis(bound);
  }
  return ::testing::AssertionFailure() << "took " << format_millis(elapsed) << ", more than the "
                                       << format_millis(bound) << " allowed";
}

double cpu_parallelism(const std::function<void()>& f) {
  const Millis cpu_before = process_cpu_time();
  const Millis wall = time_once(f);
  const Millis cpu = process_cpu_time() - cpu_before;
  return wall.count() > 0 ? cpu / wall : 0.0;
}

Millis thread_cpu_time() {
  return cpu_clock(CLOCK_THREAD_CPUTIME_ID);
}

Millis rusage_cpu_time(int who) {
  rusage usage{};
  getrusage(who, &usage);
  const auto total = [](timeval t) {
    return std::chrono::seconds(t.tv_sec) + std::chrono::microseconds(t.tv_usec);
  };
  return Millis{total(usage.ru_utime) + total(usage.ru_stime)};
}

Millis cpu_time_with_children() {
  return process_cpu_time() + rusage_cpu_time(RUSAGE_CHILDREN);
}

double other_load_during(const std::function<void()>& f) {
  // This process's own CPU time counts the children it waited for too: work it forked out is
  // its own, not other processes'.
  // /proc/stat counts in 10 ms ticks: a shorter moment is watched on, idle, until 100 ms have
  // passed. Others' load is what is measured, and while this process waits it is all theirs.
  constexpr Millis kShortestWindow(100);
  const auto start = std::chrono::steady_clock::now();
  const auto busy_before = machine_cpu_time();
  const Millis cpu_before = cpu_time_with_children();
  f();
  std::this_thread::sleep_until(start + kShortestWindow);
  const Millis cpu = cpu_time_with_children() - cpu_before;
  const auto busy_after = machine_cpu_time();
  const Millis window = std::chrono::steady_clock::now() - start;
  if (!busy_before || !busy_after) return -1;
  return std::max(0.0, (Millis(*busy_after - *busy_before) - cpu) / window);
}

Millis Comparison::best_a() const {
  return best_of(samples_a);
}
Millis Comparison::best_b() const {
  return best_of(samples_b);
}

double Comparison::speedup() const {
  const Millis b = best_b();
  return b.count() > 0 ? best_a() / b : 0.0;
}

std::string Comparison::describe() const {
  return fmt::format("{}: best {} of{} ms | {}: best {} of{} ms | {} is {:.2f}× as fast", name_a,
                     format_millis(best_a()), list_samples(samples_a), name_b,
                     format_millis(best_b()), list_samples(samples_b), name_b, speedup());
}

double speedup_bar(unsigned workers, double efficiency) {
  const unsigned usable = std::max(1U, std::min(workers, usable_cores()));
  return 1.0 + (usable - 1) * efficiency;
}

::testing::AssertionResult speedup_at_least(const Comparison& comparison, double bar) {
  const double speedup = comparison.speedup();
  const unsigned cores = usable_cores();
  record_figure("speedup", fmt::format("{:.2f}×", speedup),
                fmt::format("≥ {:.2f}× on {} core{}", bar, cores, cores == 1 ? "" : "s"));
  if (speedup >= bar) return ::testing::AssertionSuccess() << comparison.describe();
  return ::testing::AssertionFailure()
         << comparison.name_b << " ran " << fmt::format("{:.2f}", speedup) << "× as fast as "
         << comparison.name_a << ", but on " << cores << " core" << (cores == 1 ? "" : "s")
         << " it must reach " << fmt::format("{:.2f}", bar) << "×\n  " << comparison.describe();
}

::testing::AssertionResult speedup_at_most(const Comparison& comparison, double ceiling) {
  const double speedup = comparison.speedup();
  record_figure("speedup", fmt::format("{:.2f}×", speedup), fmt::format("≤ {:.2f}×", ceiling));
  if (speedup <= ceiling) return ::testing::AssertionSuccess() << comparison.describe();
  return ::testing::AssertionFailure()
         << comparison.name_b << " ran " << fmt::format("{:.2f}", speedup) << "× as fast as "
         << comparison.name_a << ", more than the " << fmt::format("{:.2f}", ceiling)
         << "× expected\n  " << comparison.describe();
}

std::optional<std::string> missing_cores(unsigned cores) {
  const unsigned present = usable_cores();
  if (present >= cores) return std::nullopt;
  return fmt::format("needs {} cores, this machine has {}", cores, present);
}

std::optional<std::string> too_busy_for_speedup(double other_load) {
  if (other_load <= 0.5) return std::nullopt;
  return fmt::format("other processes kept {:.1f} of {} cores busy meanwhile", other_load,
                     usable_cores());
}

std::optional<std::string> speed_untrusted() {
  if (sanitizer().empty()) return std::nullopt;
  return fmt::format(
      "speed is not judged under {}: it slows the code down 5-15 times, unevenly "
      "(the plain build judges it)",
      describe_sanitizer(sanitizer()));
}

}  // namespace course
