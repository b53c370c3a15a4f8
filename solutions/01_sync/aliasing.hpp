// Exercise 1.7: two names for one object — aliasing versus copying.
#pragma once

#include <array>
#include <memory>

namespace synchronous {

// The notebooks' Test object: it remembers the value of the last call made on it.
struct Profile {
  int value = 0;
};

// Three users, each holding a Profile through a shared_ptr — the closest C++ has to a Python
// name: several pointers may share one object, which lives while any of them does.
struct Users {
  std::shared_ptr<Profile> user1;
  std::shared_ptr<Profile> user2;
  std::shared_ptr<Profile> user3;
};

// Three users with a Profile each. (Given.)
Users three_users();

// Exercise 1.7 — alias_user3_to_user2(users): Python's `user3 = user2`. Returns the users
// with user3 naming the very Profile user2 names; user3's old Profile is released (and, if
// nobody else holds it, destroyed).
Users alias_user3_to_user2(Users users);

// Exercise 1.7 — copy_user2_into_user3(users): what Python needs copy.copy for. Returns the
// users with user3 holding a Profile of its own that starts as a copy of user2's.
Users copy_user2_into_user3(Users users);

// Exercise 1.7 — call_in_order(users, values): the notebooks' three calls, one after another:
// sets user1's value to values[0], then user2's to values[1], then user3's to values[2];
// returns what user1, user2 and user3 read afterwards.
std::array<int, 3> call_in_order(const Users& users, std::array<int, 3> values);

}  // namespace synchronous
