// The notebooks' first demo: three users, each served by a blocking call that takes 200 ms.
// Called one after another, they take 600 ms: blocking calls add up. Then the notebooks' second
// try: the same calls made "async" in name only — std::async with std::launch::deferred, like
// an `async def` whose body still calls the blocking time.sleep — take 600 ms just the same.
//
//   build/demos/01_sync/three_users
#include <chrono>
#include <future>
#include <vector>

#include <fmt/format.h>

#include <course/demo.hpp>

#include "users.hpp"

int main() {
  return course::run_demo([] {
    using namespace std::chrono_literals;
    const std::vector<synchronous::UserRequest> requests{{1, 200ms}, {2, 200ms}, {3, 200ms}};
    const auto result =
        synchronous::fetch_all(requests, [](const synchronous::UserRequest& request) {
          auto user = synchronous::fetch_user(request);
          fmt::print("This is {} calling, after a blocking call of {} ms\n", user.name,
                     std::chrono::duration_cast<std::chrono::milliseconds>(request.delay).count());
          return user;
        });
    fmt::print("Total time with blocking calls, one after another: {:.2f} s\n",
               std::chrono::duration<double>(result.elapsed).count());

    // A deferred std::async runs its call only when get() asks for the result, on the thread
    // that asks: nothing overlaps, however "async" it looks.
    const auto start = synchronous::Clock::now();
    std::vector<std::future<synchronous::User>> futures;
    for (const auto& request : requests)
      futures.push_back(std::async(std::launch::deferred, synchronous::fetch_user, request));
    for (auto& future : futures) fmt::print("This is {} calling, \"async\"\n", future.get().name);
    fmt::print("Total time with \"async\" calls that still block: {:.2f} s\n",
               std::chrono::duration<double>(synchronous::Clock::now() - start).count());
  });
}
