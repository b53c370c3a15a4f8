// Exercise 6.1: Generator<T> on C++20 coroutines.
#include <optional>
#include <ranges>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

#include <gtest/gtest.h>

#include <course/testing.hpp>

#include "generator.hpp"
#include "sequences.hpp"
#include "views_support.hpp"

namespace {

using generators::Generator;
using Strings = std::vector<std::string>;

TEST(Generator, TheNotebooksTwoValuesBothWays) {
  Strings looped;
  for (const std::string& value : generators::generator_function()) looped.push_back(value);
  EXPECT_EQ(looped, (Strings{"something", "other thing"})) << "for (val in generator_function())";

  auto x = generators::generator_function();
  EXPECT_EQ(x.next(), std::optional<std::string>("something")) << "x.__next__()";
  EXPECT_EQ(x.next(), std::optional<std::string>("other thing")) << "x.__next__() again";
  EXPECT_EQ(x.next(), std::nullopt) << "after the last value, next() says the end: nullopt";
  EXPECT_EQ(x.next(), std::nullopt) << "and keeps saying it";
}

// Counts how far a coroutine body got.
Generator<int> counting_steps(int& steps) {
  ++steps;  // before the first co_yield
  co_yield 1;
  ++steps;
  co_yield 2;
  ++steps;  // after the last
}

TEST(Generator, NothingRunsBeforeTheFirstNext) {
  int steps = 0;
  auto numbers = counting_steps(steps);
  EXPECT_EQ(steps, 0) << "calling a generator function runs none of its body: it is lazy "
                         "(initial_suspend must suspend)";
  EXPECT_EQ(numbers.next(), 1);
  EXPECT_EQ(steps, 1) << "the first next() runs the body up to its first co_yield, no further";
  EXPECT_EQ(numbers.next(), 2);
  EXPECT_EQ(steps, 2);
  EXPECT_EQ(numbers.next(), std::nullopt);
  EXPECT_EQ(steps, 3) << "the next() after the last value runs the rest of the body";
}

// Counts its own destruction: as a local of a coroutine, it dies with the coroutine's frame.
struct Witness {
  explicit Witness(int& destroyed) : destroyed(&destroyed) {}
  Witness(const Witness&) = delete;
  Witness& operator=(const Witness&) = delete;
  ~Witness() { ++*destroyed; }
  int* destroyed;
};

Generator<int> forever_with_a_witness(int& destroyed) {
  const Witness witness(destroyed);
  for (int i = 0;; ++i) co_yield i;
}

TEST(Generator, DestroyingItDestroysTheFrame) {
  int destroyed = 0;
  {
    auto numbers = forever_with_a_witness(destroyed);
    EXPECT_EQ(numbers.next(), 0);
    EXPECT_EQ(numbers.next(), 1);
    EXPECT_EQ(destroyed, 0) << "the coroutine is suspended, its locals alive";
  }
  EXPECT_EQ(destroyed, 1) << "a generator that never ends must destroy its suspended frame (and "
                             "the locals in it) when it is destroyed: coroutine_handle::destroy()";
}

TEST(Generator, IsMoveOnlyAndTheMoveTakesTheFrame) {
  static_assert(!std::is_copy_constructible_v<Generator<int>>, "one owner per frame");
  static_assert(std::is_nothrow_move_constructible_v<Generator<int>>);
  int destroyed = 0;
  {
    auto first = forever_with_a_witness(destroyed);
    EXPECT_EQ(first.next(), 0);
    Generator<int> second = std::move(first);
    EXPECT_EQ(second.next(), 1) << "the moved-to generator goes on where the other stopped";
    EXPECT_EQ(first.next(), std::nullopt) << "a moved-from generator has nothing left";  // NOLINT
    Generator<int> third = forever_with_a_witness(destroyed);
    EXPECT_EQ(third.next(), 0);  // its witness now exists
    third = std::move(second);
    EXPECT_EQ(destroyed, 1) << "assigning over a generator destroys the frame it had";
    EXPECT_EQ(third.next(), 2);
  }
  EXPECT_EQ(destroyed, 2) << "each frame destroyed once";
}

Generator<int> fails_after_two() {
  co_yield 1;
  co_yield 2;
  throw std::runtime_error("the source broke");
}

TEST(Generator, AnExceptionReachesTheConsumerAtTheNextNext) {
  auto numbers = fails_after_two();
  EXPECT_EQ(numbers.next(), 1);
  EXPECT_EQ(numbers.next(), 2);
  EXPECT_THROW((void)numbers.next(), std::runtime_error)
      << "an exception from the body reaches the consumer, at the next() that resumed it";
  EXPECT_EQ(numbers.next(), std::nullopt) << "once, and then the generator has ended";

  std::vector<int> seen;
  EXPECT_THROW(
      {
        for (const int value : fails_after_two()) seen.push_back(value);
      },
      std::runtime_error)
      << "in a range-for too: from the ++ that resumed the body";
  EXPECT_EQ(seen, (std::vector<int>{1, 2}));
}

// Counts copies.
struct Heavy {
  explicit Heavy(int& copies) : copies(&copies) {}
  Heavy(const Heavy& other) : copies(other.copies) { ++*copies; }
  Heavy& operator=(const Heavy&) = delete;
  ~Heavy() = default;
  int* copies;
};

Generator<const Heavy&> heavy_values(int& copies, std::vector<const Heavy*>& addresses) {
  const Heavy a(copies);
  addresses.push_back(&a);
  co_yield a;
  Heavy b(copies);
  addresses.push_back(&b);
  co_yield b;
}

TEST(Generator, YieldsReferencesWithoutCopies) {
  int copies = 0;
  std::vector<const Heavy*> addresses;
  std::vector<const Heavy*> seen;
  for (const Heavy& value : heavy_values(copies, addresses)) seen.push_back(&value);
  EXPECT_EQ(copies, 0) << "co_yield of an object must not copy it: point at it where it is";
  EXPECT_EQ(seen, addresses) << "the consumer sees the coroutine's own objects";
}

struct Node {
  int value;
};

Generator<int> values_of(const std::vector<Node>& nodes) {
  for (const Node& node : nodes) co_yield node.value;  // a const int: it must be copied
}

TEST(Generator, YieldsConstObjectsByCopy) {
  const std::vector<Node> nodes{{3}, {1}, {4}};
  std::vector<int> seen;
  for (int& value : values_of(nodes)) seen.push_back(value);
  EXPECT_EQ(seen, (std::vector<int>{3, 1, 4}))
      << "co_yield of a const object into a Generator<int>: *it is an int& to a copy";
}

Generator<int> one_two() {
  co_yield 1;
  co_yield 2;
}

TEST(Generator, IsAViewTheStandardRangesAccept) {
  static_assert(std::ranges::input_range<Generator<int>>);
  static_assert(std::ranges::view<Generator<int>>);
  static_assert(std::is_same_v<std::ranges::range_reference_t<Generator<int>>, int&>);
  std::vector<int> doubled;
#if COURSE_STD_VIEWS_COMPILE
  for (const int n : one_two() | std::views::transform([](int v) { return 2 * v; })) {
    doubled.push_back(n);
  }
#else
  for (const int n : one_two()) doubled.push_back(2 * n);  // see views_support.hpp
#endif
  EXPECT_EQ(doubled, (std::vector<int>{2, 4}));
}

}  // namespace
