// The notebooks' `user3 = user2`: two names, one object. Prints each user's Profile address (what
// Python's id() shows) and its count of owners (what sys.getrefcount shows, less its own) — also
// while a list holds the object, as after the notebooks' `lst.append(obj)`.
//
//   build/demos/01_sync/aliasing
#include "aliasing.hpp"

#include <memory>
#include <vector>

#include <fmt/format.h>

#include <course/demo.hpp>

namespace {

void show(const synchronous::Users& users) {
  const auto line = [](const char* name, const std::shared_ptr<synchronous::Profile>& profile) {
    fmt::print("  {}: Profile at {}, {} owner(s), value {}\n", name, fmt::ptr(profile.get()),
               profile.use_count(), profile->value);
  };
  line("user1", users.user1);
  line("user2", users.user2);
  line("user3", users.user3);
}

}  // namespace

int main() {
  return course::run_demo([] {
    auto users = synchronous::three_users();
    fmt::print("Three users:\n");
    show(users);

    users = synchronous::alias_user3_to_user2(std::move(users));
    fmt::print("After user3 = user2:\n");
    show(users);

    std::vector<std::shared_ptr<synchronous::Profile>> list;
    list.push_back(users.user2);
    fmt::print("In a list too: {} owners. ", users.user2.use_count());
    list.pop_back();
    fmt::print("Out of it again: {}.\n", users.user2.use_count());

    const auto values = synchronous::call_in_order(users, {1, 2, 3});
    fmt::print("Calls with 1, 2, 3 leave {}, {}, {}: the last writer wins.\n", values[0], values[1],
               values[2]);

    users = synchronous::copy_user2_into_user3(synchronous::three_users());
    const auto copied = synchronous::call_in_order(users, {1, 2, 3});
    fmt::print("With a copy instead: {}, {}, {}.\n", copied[0], copied[1], copied[2]);
  });
}
