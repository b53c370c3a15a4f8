// Exercise 2.4: a handle that many threads copy and drop, destroying its object exactly once.
#include <atomic>
#include <latch>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include <course/testing.hpp>

#include "shared_handle.hpp"

namespace {

using threads::SharedHandle;

// An object that counts how many of its kind are alive and how many were destroyed.
struct Tracked {
  static inline std::atomic<int> alive{0};
  static inline std::atomic<int> destroyed{0};
  int value;
  explicit Tracked(int v) : value(v) { ++alive; }
  Tracked(const Tracked&) = delete;
  Tracked& operator=(const Tracked&) = delete;
  ~Tracked() {
    --alive;
    ++destroyed;
  }
};

class SharedHandleTest : public ::testing::Test {
 protected:
  SharedHandleTest() {
    Tracked::alive = 0;
    Tracked::destroyed = 0;
  }
};

TEST_F(SharedHandleTest, CopiesShareOneObject) {
  const auto first = SharedHandle<Tracked>::make(7);
  EXPECT_EQ(first.use_count(), 1) << "a new handle is its object's only owner";
  {
    const SharedHandle<Tracked> second = first;
    EXPECT_EQ(&*second, &*first) << "a copy of a handle shares the object; it does not copy it";
    EXPECT_EQ(second->value, 7);
    EXPECT_EQ(first.use_count(), 2) << "two handles own it now";
    EXPECT_EQ(Tracked::alive, 1);
  }
  EXPECT_EQ(first.use_count(), 1) << "the copy is gone: one owner again";
  EXPECT_EQ(Tracked::destroyed, 0) << "the object lives while a handle owns it";
}

TEST_F(SharedHandleTest, TheLastOwnerDestroysTheObjectOnce) {
  {
    const auto first = SharedHandle<Tracked>::make(1);
    const auto second = first;  // NOLINT(performance-unnecessary-copy-initialization)
    const auto third = second;  // NOLINT(performance-unnecessary-copy-initialization)
    EXPECT_EQ(third.use_count(), 3);
  }
  EXPECT_EQ(Tracked::destroyed, 1) << "the last owner must destroy the object, exactly once";
  EXPECT_EQ(Tracked::alive, 0);
}

TEST_F(SharedHandleTest, MovesAndAssignmentsKeepTheCount) {
  auto first = SharedHandle<Tracked>::make(1);
  auto moved = std::move(first);
  EXPECT_EQ(moved.use_count(), 1) << "a move hands the ownership over: still one owner";
  EXPECT_EQ(first.use_count(), 0)
      << "the moved-from handle is empty";  // NOLINT(bugprone-use-after-move)
  auto other = SharedHandle<Tracked>::make(2);
  other = moved;
  EXPECT_EQ(Tracked::destroyed, 1) << "assigning over `other` released its object, its only owner";
  EXPECT_EQ(moved.use_count(), 2);
  EXPECT_EQ(other->value, 1);
  const SharedHandle<Tracked> empty;
  const SharedHandle<Tracked> copy_of_empty =
      empty;  // NOLINT(performance-unnecessary-copy-initialization)
  EXPECT_EQ(copy_of_empty.use_count(), 0) << "copying an empty handle gives an empty handle";
}

// The notebooks' refcount race: threads copy and drop handles of one object, all at once.
TEST_F(SharedHandleTest, ManyThreadsCopyAndDropAtOnce) {
  constexpr int kThreads = 8;
  constexpr int kCopies = 20'000;
  const auto shared = SharedHandle<Tracked>::make(42);
  {
    std::latch start(kThreads);  // before the workers: it must outlive their joins
    std::vector<std::jthread> workers;
    for (int t = 0; t < kThreads; ++t) {
      workers.emplace_back([&] {
        start.arrive_and_wait();  // all copy at the same time
        for (int i = 0; i < kCopies; ++i) {
          const SharedHandle<Tracked> copy = shared;  // one owner more ...
          if (copy->value != 42) std::abort();
        }  // ... and one fewer
      });
    }
  }
  EXPECT_EQ(shared.use_count(), 1)
      << kThreads << " threads made and dropped " << kCopies
      << " copies each; afterwards one owner must remain. A count that drifts means increments or "
         "decrements were lost: use one atomic read-modify-write (fetch_add, fetch_sub) for each.";
  EXPECT_EQ(Tracked::destroyed, 0) << "the object was destroyed while a handle still owned it";
}

TEST_F(SharedHandleTest, ThreadsDroppingTheLastOwnersTogetherDestroyItOnce) {
  constexpr int kThreads = 8;
  for (int round = 0; round < 200; ++round) {
    std::vector<SharedHandle<Tracked>> handles;
    handles.push_back(SharedHandle<Tracked>::make(round));
    for (int t = 1; t < kThreads; ++t) handles.push_back(handles.front());
    std::latch start(kThreads);
    std::vector<std::jthread> workers;
    for (auto& handle : handles) {
      workers.emplace_back([&start, mine = std::move(handle)]() mutable {
        start.arrive_and_wait();
        mine = SharedHandle<Tracked>();  // drop it, all threads at the same moment
      });
    }
  }
  EXPECT_EQ(Tracked::destroyed, 200)
      << "200 objects, each dropped by 8 threads at once, must each be destroyed exactly once: "
         "only the thread whose decrement took the count to 0 may destroy it";
  EXPECT_EQ(Tracked::alive, 0);
}

}  // namespace
