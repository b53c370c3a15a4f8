#include "users.hpp"

#include <course/not_implemented.hpp>

#include "when_all.hpp"

namespace callbacks {

void fetch_user_async([[maybe_unused]] Scheduler& loop, [[maybe_unused]] const UserRequest& request,
                      [[maybe_unused]] OnUser on_done) {
  // TODO(5.3): answer `request.delay` later, from the loop. What runs later must own what it uses.
  throw course::NotImplemented("5.3", "fetch_user_async");
}

void fetch_all_async([[maybe_unused]] Scheduler& loop,
                     [[maybe_unused]] std::span<const UserRequest> requests,
                     [[maybe_unused]] OnUsers on_done,
                     [[maybe_unused]] const FetchUserAsync& fetch) {
  // TODO(5.3): start every fetch now; when_all joins their answers.
  throw course::NotImplemented("5.3", "fetch_all_async");
}

}  // namespace callbacks
