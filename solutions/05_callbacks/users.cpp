#include "users.hpp"

#include <string>
#include <utility>

#include "when_all.hpp"

namespace callbacks {

void fetch_user_async(Scheduler& loop, const UserRequest& request, OnUser on_done) {
  // The callback runs after this function has returned: it must own what it uses. `request`
  // may be gone by then, so its id is copied into the lambda, not referred to.
  loop.call_later(request.delay, [id = request.id, on_done = std::move(on_done)] {
    on_done(User{id, "user " + std::to_string(id)});
  });
}

void fetch_all_async(Scheduler& loop, std::span<const UserRequest> requests, OnUsers on_done,
                     const FetchUserAsync& fetch) {
  // Every request is started before any has answered: they all wait at the same time, on one
  // thread, because waiting here is a timer in the loop, not a blocked thread.
  auto answers = when_all<User>(requests.size(), std::move(on_done));
  for (std::size_t i = 0; i < requests.size(); ++i) {
    fetch(loop, requests[i], std::move(answers[i]));
  }
}

}  // namespace callbacks
