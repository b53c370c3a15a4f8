#include "aliasing.hpp"

namespace synchronous {

Users three_users() {
  return {std::make_shared<Profile>(), std::make_shared<Profile>(), std::make_shared<Profile>()};
}

Users alias_user3_to_user2(Users users) {
  // Copying a shared_ptr copies the pointer, not the Profile: both now name one object and
  // its use_count is 2. user3's old Profile loses its last owner here and is destroyed —
  // what CPython does when a reference count reaches zero.
  users.user3 = users.user2;
  return users;
}

Users copy_user2_into_user3(Users users) {
  users.user3 = std::make_shared<Profile>(*users.user2);
  return users;
}

std::array<int, 3> call_in_order(const Users& users, std::array<int, 3> values) {
  users.user1->value = values[0];
  users.user2->value = values[1];
  users.user3->value = values[2];  // with an alias, this overwrites what user2 just wrote
  return {users.user1->value, users.user2->value, users.user3->value};
}

}  // namespace synchronous
