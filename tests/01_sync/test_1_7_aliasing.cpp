// Exercise 1.7: two names for one object — aliasing versus copying.
#include <array>
#include <memory>

#include <gtest/gtest.h>

#include "aliasing.hpp"

namespace {

using synchronous::Profile;
using synchronous::three_users;

TEST(Aliasing, User3BecomesAnotherNameForUser2) {
  auto users = three_users();
  users.user2->value = 7;
  const std::weak_ptr<Profile> old_user3 = users.user3;
  const auto aliased = synchronous::alias_user3_to_user2(std::move(users));
  ASSERT_TRUE(aliased.user2 && aliased.user3);
  EXPECT_EQ(aliased.user3.get(), aliased.user2.get())
      << "user3 must name the very Profile user2 names (in Python, id(user3) == id(user2))";
  EXPECT_EQ(aliased.user3->value, 7) << "through user3 we see what user2 holds";
  EXPECT_EQ(aliased.user2.use_count(), 2)
      << "two owners share the Profile now (Python's sys.getrefcount counts them too)";
  EXPECT_TRUE(old_user3.expired())
      << "user3's old Profile has no owner left, so it must have been destroyed";
  EXPECT_NE(aliased.user1.get(), aliased.user2.get()) << "user1 keeps its own Profile";
}

TEST(Aliasing, TheLastWriterWins) {
  const auto aliased = synchronous::alias_user3_to_user2(three_users());
  const std::array<int, 3> expected{1, 3, 3};
  EXPECT_EQ(synchronous::call_in_order(aliased, {1, 2, 3}), expected)
      << "user3's call overwrote the value user2's call had set: they are one object";
}

TEST(Copying, User3GetsAProfileOfItsOwn) {
  auto users = three_users();
  users.user2->value = 7;
  const auto copied = synchronous::copy_user2_into_user3(std::move(users));
  ASSERT_TRUE(copied.user2 && copied.user3);
  EXPECT_NE(copied.user3.get(), copied.user2.get()) << "user3 must get a Profile of its own";
  EXPECT_EQ(copied.user3->value, 7) << "user3's Profile starts as a copy of user2's";
  EXPECT_EQ(copied.user2.use_count(), 1) << "user2's Profile still has one owner";
  EXPECT_EQ(copied.user3.use_count(), 1) << "and so has user3's";
}

TEST(Copying, EveryUserKeepsItsOwnValue) {
  const auto copied = synchronous::copy_user2_into_user3(three_users());
  const std::array<int, 3> expected{1, 2, 3};
  EXPECT_EQ(synchronous::call_in_order(copied, {1, 2, 3}), expected)
      << "with three separate Profiles, each keeps the value of its own call";
}

TEST(Copying, ThreeFreshUsersAreIndependentToo) {
  const std::array<int, 3> expected{4, 5, 6};
  EXPECT_EQ(synchronous::call_in_order(three_users(), {4, 5, 6}), expected);
}

}  // namespace
