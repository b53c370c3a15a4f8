// For chapter 3's hidden tests: threads that each take the GIL and drop it again when the test
// says so, one at a time, in whatever order the test draws — so that a test knows exactly how
// many times the GIL passed from one thread to another.
#pragma once

#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <toy/gil.hpp>

namespace gil_testing {

class Holders {
 public:
  Holders(toy::Gil& gil, int count) : gil_(gil) {
    for (int who = 0; who < count; ++who) {
      threads_.emplace_back([this, who] {
        std::unique_lock lock(mutex_);
        while (true) {
          changed_.wait(lock, [&] { return stopping_ || turn_ == who; });
          if (stopping_) return;
          lock.unlock();
          gil_.take();
          gil_.drop();
          lock.lock();
          turn_ = kNobody;
          changed_.notify_all();
        }
      });
    }
  }

  Holders(const Holders&) = delete;
  Holders& operator=(const Holders&) = delete;

  ~Holders() {
    {
      const std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    changed_.notify_all();
  }  // the threads end and are joined

  // Thread `who` takes the GIL and drops it; returns once it has.
  void hold(int who) {
    std::unique_lock lock(mutex_);
    turn_ = who;
    changed_.notify_all();
    changed_.wait(lock, [&] { return turn_ == kNobody; });
  }

 private:
  static constexpr int kNobody = -1;
  toy::Gil& gil_;
  std::mutex mutex_;
  std::condition_variable changed_;
  int turn_ = kNobody;
  bool stopping_ = false;
  std::vector<std::jthread> threads_;  // last: joined before the rest is destroyed
};

// Each of `holders` threads holding `gil` in turn, in an order drawn from `draw`, `holds` times:
// the switches the GIL counted must follow, after every hold. Returns the first discrepancy,
// or an empty string.
template <class Draw>
std::string check_switches_of_random_order(toy::Gil& gil, int holders, int holds, Draw& draw) {
  Holders threads(gil, holders);
  std::string order;
  long expected = 0;
  int last = -1;
  for (int i = 0; i < holds; ++i) {
    const int who = static_cast<int>(draw() % static_cast<unsigned>(holders));
    threads.hold(who);
    if (last != -1 && who != last) ++expected;
    last = who;
    order += static_cast<char>('A' + who);
    if (gil.switches() != expected) {
      return "threads took the GIL (and let go of it) one at a time in the order " + order +
             ": that is " + std::to_string(expected) + " switches, and switches() says " +
             std::to_string(gil.switches()) +
             ". A switch is a take by another thread than the one that held it last (the very "
             "first take is none): remember the last holder at every take";
    }
  }
  return "";
}

}  // namespace gil_testing
