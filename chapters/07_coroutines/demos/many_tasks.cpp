// What a coroutine costs, side by side in one run: a resume and a suspend against a function
// call; a co_await of a task against a call; many tasks sleeping at once on the loop, in time
// and in bytes per task — then the same tasks in Python's asyncio, when python3 is there; and
// the bonus's green threads: a switch, and a stack.
//
//   $ build/demos/07_coroutines/many_tasks            # 100 000 tasks
//   $ build/demos/07_coroutines/many_tasks 1000000    # the lesson's figures
#include <chrono>
#include <coroutine>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <utility>
#include <vector>

#include <malloc.h>
#include <sys/resource.h>

#include <fmt/format.h>

#include <course/demo.hpp>

#include "event_loop.hpp"
#include "green_threads.hpp"
#include "sleep.hpp"
#include "task.hpp"

namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

// ---- a resume and a suspend, against a call ----------------------------------------------------

// The smallest coroutine: suspended at every step, resumed by whoever holds its handle — what
// an event loop does with a task, without the loop.
struct Stepper {
  struct promise_type {
    Stepper get_return_object() noexcept {
      return Stepper{std::coroutine_handle<promise_type>::from_promise(*this)};
    }
    std::suspend_always initial_suspend() noexcept { return {}; }
    std::suspend_always final_suspend() noexcept { return {}; }
    void return_void() noexcept {}
    void unhandled_exception() noexcept { std::terminate(); }
  };
  explicit Stepper(std::coroutine_handle<promise_type> h) : handle(h) {}
  Stepper(Stepper&& other) noexcept : handle(std::exchange(other.handle, {})) {}
  Stepper& operator=(Stepper&&) = delete;
  ~Stepper() {
    if (handle) handle.destroy();
  }
  std::coroutine_handle<promise_type> handle;
};

Stepper counts_steps(long& steps) {
  for (;;) {
    ++steps;
    co_await std::suspend_always{};
  }
}

// A call the compiler can neither inline nor drop.
[[gnu::noinline]] void one_step(long& steps) {
  ++steps;
  asm volatile("" ::: "memory");
}

// Keeps a result the compiler would otherwise compute away.
void keep(long value) {
  asm volatile("" : : "r"(value) : "memory");
}
// A handle whose coroutine the compiler cannot know.
std::coroutine_handle<> opaque(std::coroutine_handle<> handle) {
  void* address = handle.address();
  asm volatile("" : "+r"(address));
  return std::coroutine_handle<>::from_address(address);
}

template <class F>
double nanoseconds_each(long times, F&& f) {
  double best = 1e300;
  for (int round = 0; round < 5; ++round) {  // best of 5
    const auto start = Clock::now();
    f(times);
    const double each = std::chrono::duration<double, std::nano>(Clock::now() - start).count() /
                        static_cast<double>(times);
    best = std::min(best, each);
  }
  return best;
}

coro::Task<int> ends_at_once() {
  co_return 1;
}

coro::Task<long> awaits_tasks(long times) {
  long sum = 0;
  for (long i = 0; i < times; ++i) sum += co_await ends_at_once();
  co_return sum;
}

// ---- many tasks ---------------------------------------------------------------------------------

std::size_t bytes_in_use() {
  return mallinfo2().uordblks;
}
long peak_rss_kib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

coro::Task<> naps(std::chrono::milliseconds nap) {
  co_await coro::sleep(nap);
}

struct Figures {
  double took_ms = 0;
  double bytes_per_task = 0;
  double rss_per_task = 0;
};

// All the tasks spawned, then awaited; halfway through their nap every one of them is asleep,
// and the loop's heap holds exactly what they cost.
coro::Task<> spawns_and_awaits(long count, Figures& figures) {
  const std::size_t before = bytes_in_use();
  const long rss_before = peak_rss_kib();
  const auto start = Clock::now();
  std::vector<coro::JoinHandle<void>> tasks;
  tasks.reserve(static_cast<std::size_t>(count));
  for (long i = 0; i < count; ++i) tasks.push_back(coro::spawn(naps(100ms)));
  co_await coro::sleep(50ms);  // they all run up to their sleep meanwhile
  figures.bytes_per_task =
      static_cast<double>(bytes_in_use() - before) / static_cast<double>(count);
  for (auto& task : tasks) co_await task;
  figures.took_ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
  figures.rss_per_task =
      static_cast<double>(peak_rss_kib() - rss_before) * 1024 / static_cast<double>(count);
}

// The same in asyncio: create_task for each, then gather. (Its own process: its memory is
// its own.)
constexpr const char* kAsyncio = R"(
import asyncio, resource, sys, time
count = int(sys.argv[1])
async def naps():
    await asyncio.sleep(0.1)
async def main():
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    tasks = [asyncio.create_task(naps()) for _ in range(count)]
    await asyncio.gather(*tasks)
    took = time.perf_counter() - start
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"{took * 1000:.0f} {(rss - rss_before) * 1024 / count:.0f}")
asyncio.run(main())
)";

void run_asyncio(long count) {
  const std::string command = fmt::format("python3 -c '{}' {} 2>&1", kAsyncio, count);
  FILE* python = popen(command.c_str(), "r");
  if (python == nullptr) return;
  double took_ms = 0;
  double rss_per_task = 0;
  const int read = std::fscanf(python, "%lf %lf", &took_ms, &rss_per_task);
  const int status = pclose(python);
  if (read != 2 || status != 0) {
    fmt::print("Python's asyncio: python3 did not run it (is python3 installed?)\n");
    return;
  }
  fmt::print("{:<44}{:>10.0f} ms   {:>12}   {:>6.0f} bytes\n", "Python 3 asyncio", took_ms, "",
             rss_per_task);
}

}  // namespace

int main(int argc, char** argv) {
  const long count = argc > 1 ? std::atol(argv[1]) : 100'000;
  return course::run_demo([count] {
    constexpr long kSteps = 10'000'000;
    const double call = nanoseconds_each(kSteps, [](long times) {
      long steps = 0;
      for (long i = 0; i < times; ++i) one_step(steps);
      keep(steps);
    });
    const double resume = nanoseconds_each(kSteps, [](long times) {
      long steps = 0;
      const Stepper stepper = counts_steps(steps);
      // Through a handle the compiler cannot see into, as a loop's queue holds it (clang would
      // otherwise inline the coroutine's body into this loop).
      const std::coroutine_handle<> handle = opaque(stepper.handle);
      for (long i = 0; i < times; ++i) handle.resume();
      keep(steps);
    });
    fmt::print("a function call                    {:6.1f} ns\n", call);
    fmt::print("a coroutine's resume + suspend     {:6.1f} ns   {:.1f}× a call\n", resume,
               resume / call);
    const double await_task = nanoseconds_each(kSteps / 10, [](long times) {
      coro::EventLoop loop;
      loop.run(awaits_tasks(times));
    });
    fmt::print(
        "co_await of a Task that ends       {:6.1f} ns   {:.1f}× a call (its frame is "
        "allocated and freed)\n\n",
        await_task, await_task / call);

    Figures figures;
    {
      coro::EventLoop loop;
      loop.run(spawns_and_awaits(count, figures));
    }
    fmt::print("{:<44}{:>13}   {:>12}   {:>12}\n", fmt::format("{} tasks sleeping 100 ms", count),
               "took", "heap/task", "peak RSS/task");
    fmt::print("{:<44}{:>10.0f} ms   {:>6.0f} bytes   {:>6.0f} bytes\n",
               "C++20 coroutines (this loop)", figures.took_ms, figures.bytes_per_task,
               figures.rss_per_task);
    std::fflush(stdout);
    run_asyncio(count);

    // The bonus's green threads: two of them handing the thread to each other.
    const double green_yield = nanoseconds_each(kSteps / 10, [](long times) {
      green::Scheduler scheduler;
      for (int i = 0; i < 2; ++i) {
        scheduler.spawn([times] {
          for (long step = 0; step < times / 2; ++step) green::yield();
        });
      }
      scheduler.run();
    });
    fmt::print(
        "\na green thread's yield to another   {:6.1f} ns   {:.0f}× a call (two "
        "swapcontext: registers, stack and signal mask)\n",
        green_yield, green_yield / call);
    fmt::print("a green thread's stack              {:6} bytes, reserved whether used or not\n",
               green::Scheduler::kDefaultStackBytes);
  });
}
