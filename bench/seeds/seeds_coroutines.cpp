// The seeds' asyncio experiments: chapter 7's event loop runs tasks on one thread, each up to
// its next suspension; coro::sleep parks a task on the loop's timers, a blocking sleep stalls
// them all.
#include <chrono>
#include <cmath>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "event_loop.hpp"
#include "gather.hpp"
#include "seeds.hpp"
#include "sleep.hpp"
#include "task.hpp"

namespace seeds {

namespace {

using Clock = std::chrono::steady_clock;

coro::Clock::duration ticks(Seconds d) {
  return std::chrono::duration_cast<coro::Clock::duration>(d);
}

// Seed 000's async_user_call: an `async def` whose body calls the blocking time.sleep.
coro::Task<int> async_user_call(int user, Seconds delay) {
  std::this_thread::sleep_for(ticks(delay));  // blocks the loop's one thread
  say(fmt::format("This is user {} calling the method async with a blocking task", user));
  co_return user;
}

// Seed 000's async_user_call_nonblocking: `await asyncio.sleep(delay)`.
coro::Task<int> async_user_call_nonblocking(int user, Seconds delay) {
  co_await coro::sleep(ticks(delay));  // the loop runs the other tasks meanwhile
  say(fmt::format("This is user {} calling the method async with a non-blocking task", user));
  co_return user;
}

// Gathers the three users' calls and times them inside the running loop, as the notebook does
// (its loop is already running).
template <class Call>
coro::Task<Seconds> gather_three(Call call, Seconds delay, std::vector<int>& users) {
  const auto start = Clock::now();
  auto [a, b, c] = co_await coro::gather(call(1, delay), call(2, delay), call(3, delay));
  const Seconds elapsed = Clock::now() - start;
  users = {a, b, c};
  co_return elapsed;
}

template <class Call>
Outcome three_users(Call call, Seconds unit) {
  coro::EventLoop loop;
  std::vector<int> users;
  const Seconds elapsed = loop.run(gather_three(call, unit, users));
  return {elapsed, unit, users == std::vector{1, 2, 3}, fmt::format("users {}", users)};
}

// test_async.py's example_coroutine: waits 3 units.
coro::Task<> example_coroutine(int i, Seconds unit, std::vector<int>& finished) {
  co_await coro::sleep(ticks(3 * unit));
  finished.push_back(i);
}

coro::Task<> five_tasks(Seconds unit, std::vector<int>& finished) {
  const auto t0 = Clock::now();
  // asyncio.ensure_future: each task is scheduled at once, and runs while this one goes on.
  std::vector<coro::JoinHandle<void>> tasks;
  for (int i = 0; i < 5; ++i) {
    say(fmt::format("time passed after iter {} is {} s", i, Seconds(Clock::now() - t0).count()));
    tasks.push_back(coro::spawn(example_coroutine(i, unit, finished)));
  }
  // gather(*tasks) of futures already running: wait for each; they wait side by side.
  for (auto& task : tasks) co_await task;
}

// Seed 003's cake: the dough is work (a blocking sleep), the oven only waiting.
coro::Task<> bake_cake(Seconds minute, Clock::time_point start, long& done_at) {
  std::this_thread::sleep_for(ticks(15 * minute));  // the dough: work the cook cannot leave
  co_await coro::sleep(ticks(45 * minute));         // the oven: the cook is free meanwhile
  done_at = std::lround(Seconds(Clock::now() - start) / minute);
  say(fmt::format("{} min: cake baked", done_at));
}

coro::Task<> buy_groceries(Seconds minute, Clock::time_point start, long& done_at) {
  co_await coro::sleep(ticks(20 * minute));
  done_at = std::lround(Seconds(Clock::now() - start) / minute);
  say(fmt::format("{} min: groceries bought", done_at));
}

coro::Task<Seconds> morning(Seconds minute, long& cake, long& groceries) {
  const auto start = Clock::now();
  (void)co_await coro::gather(bake_cake(minute, start, cake),
                              buy_groceries(minute, start, groceries));
  co_return Clock::now() - start;
}

}  // namespace

// Seed 000's async_user_call ×3, gathered on chapter 7's EventLoop with gather (7.2, 7.3): the
// blocking sleeps run one after another.
Outcome three_users_async_blocking(Seconds unit) {
  return three_users(async_user_call, unit);
}

// Seed 000's async_user_call_nonblocking ×3, gathered: the sleeps overlap.
Outcome three_users_gather(Seconds unit) {
  return three_users(async_user_call_nonblocking, unit);
}

// Seed 003's test_async.py: five tasks spawned (ensure_future), each waiting 3 units. Timed as
// the script times it, the loop's creation included.
Outcome five_tasks_gather(Seconds unit) {
  std::vector<int> finished;
  const auto start = Clock::now();
  {
    coro::EventLoop loop;
    loop.run(five_tasks(unit, finished));
  }
  const Seconds elapsed = Clock::now() - start;
  say(fmt::format("Total time needed was {} s", elapsed.count()));
  return {elapsed, unit, finished.size() == 5,
          fmt::format("{} tasks finished, in order {}", finished.size(), finished)};
}

// Seed 003's cake and groceries, concurrently: 15 + max(45, 20) = 60 minutes.
Outcome cake_concurrent(Seconds minute) {
  coro::EventLoop loop;
  long cake = -1;
  long groceries = -1;
  const Seconds elapsed = loop.run(morning(minute, cake, groceries));
  // The groceries are bought while the cake bakes: they are done first.
  return {elapsed, minute, groceries >= 0 && groceries < cake,
          fmt::format("groceries at {} min, cake at {} min", groceries, cake)};
}

}  // namespace seeds
