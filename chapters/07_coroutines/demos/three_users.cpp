// The notebooks' three users: awaited one after another (the sum of the delays), gathered (the
// longest delay), and "async in name only" — gathered, but with a blocking sleep inside, which
// stalls the one thread and takes the sum again.
//
//   $ build/demos/07_coroutines/three_users
#include <chrono>
#include <string>
#include <thread>
#include <tuple>

#include <fmt/format.h>

#include <course/demo.hpp>

#include "event_loop.hpp"
#include "gather.hpp"
#include "sleep.hpp"
#include "task.hpp"

namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
constexpr auto kDelay = 200ms;

coro::Task<std::string> fetch_user(int id) {
  co_await coro::sleep(kDelay);  // the server thinks; the loop runs the others
  co_return fmt::format("user {}", id);
}

coro::Task<std::string> fetch_user_blocking(int id) {
  std::this_thread::sleep_for(kDelay);  // a blocking call: nobody else can run meanwhile
  co_return fmt::format("user {}", id);
}

coro::Task<> one_after_another() {
  for (int id = 1; id <= 3; ++id) (void)co_await fetch_user(id);
}

coro::Task<> gathered() {
  (void)co_await coro::gather(fetch_user(1), fetch_user(2), fetch_user(3));
}

coro::Task<> async_in_name_only() {
  (void)co_await coro::gather(fetch_user_blocking(1), fetch_user_blocking(2),
                              fetch_user_blocking(3));
}

template <class Main>
void timed(const char* what, Main main) {
  coro::EventLoop loop;
  const auto start = Clock::now();
  loop.run(main());
  fmt::print("{:<40} {:4} ms\n", what,
             std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count());
}

}  // namespace

int main() {
  return course::run_demo([] {
    fmt::print("three users, {} ms each:\n", kDelay.count());
    timed("awaited one after another", one_after_another);
    timed("gathered", gathered);
    timed("gathered, with a blocking sleep inside", async_in_name_only);
  });
}
