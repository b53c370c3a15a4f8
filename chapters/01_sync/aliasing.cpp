#include "aliasing.hpp"

#include <course/not_implemented.hpp>

namespace synchronous {

Users three_users() {
  return {std::make_shared<Profile>(), std::make_shared<Profile>(), std::make_shared<Profile>()};
}

Users alias_user3_to_user2([[maybe_unused]] Users users) {
  // TODO(1.7): one assignment of shared_ptrs.
  throw course::NotImplemented("1.7", "alias_user3_to_user2");
}

Users copy_user2_into_user3([[maybe_unused]] Users users) {
  // TODO(1.7): a new Profile, copied from user2's.
  throw course::NotImplemented("1.7", "copy_user2_into_user3");
}

std::array<int, 3> call_in_order([[maybe_unused]] const Users& users,
                                 [[maybe_unused]] std::array<int, 3> values) {
  // TODO(1.7): three writes, then three reads.
  throw course::NotImplemented("1.7", "call_in_order");
}

}  // namespace synchronous
