// ActivityGauge: how many tasks were active at once, at most.
//
// The structural proof of concurrency: if three tasks were ever inside their work at the same
// moment, they overlapped — no stopwatch needed, and no noise to allow for.
//
//   course::ActivityGauge gauge;
//   auto task = [&] { auto active = gauge.enter(); do_the_work(); };
//   ... run the tasks ...
//   EXPECT_GE(gauge.peak(), 2) << "the tasks never overlapped";
#pragma once

#include <atomic>
#include <utility>

namespace course {

class ActivityGauge {
 public:
  // Marks one task as active until the scope is destroyed.
  class [[nodiscard]] Scope {
   public:
    explicit Scope(ActivityGauge& gauge) noexcept : gauge_(&gauge) {}
    Scope(Scope&& other) noexcept : gauge_(std::exchange(other.gauge_, nullptr)) {}
    Scope(const Scope&) = delete;
    Scope& operator=(const Scope&) = delete;
    Scope& operator=(Scope&&) = delete;
    ~Scope() {
      if (gauge_ != nullptr) gauge_->active_.fetch_sub(1);
    }

   private:
    ActivityGauge* gauge_;
  };

  ActivityGauge() = default;
  ActivityGauge(const ActivityGauge&) = delete;
  ActivityGauge& operator=(const ActivityGauge&) = delete;

  Scope enter() noexcept {
    const int now = active_.fetch_add(1) + 1;
    int seen = peak_.load();
    // Raise the peak to `now` unless another thread already raised it higher.
    while (now > seen && !peak_.compare_exchange_weak(seen, now)) {
    }
    return Scope(*this);
  }

  // Tasks active right now.
  [[nodiscard]] int active() const noexcept { return active_.load(); }
  // The most tasks that were ever active at once.
  [[nodiscard]] int peak() const noexcept { return peak_.load(); }

 private:
  std::atomic<int> active_{0};
  std::atomic<int> peak_{0};
};

}  // namespace course
