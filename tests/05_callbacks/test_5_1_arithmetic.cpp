// Exercise 5.1: higher-order callbacks.
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include <course/testing.hpp>

#include "arithmetic.hpp"

namespace {

using callbacks::arithmetic;

int square(int n) {
  return n * n;
}
int cube(int n) {
  return n * n * n;
}

struct Shape {
  int side;
  [[nodiscard]] int area() const { return side * side; }
};

// Remembers every value it was called with.
struct Recorder {
  std::vector<int> seen;
  int operator()(int n) {
    seen.push_back(n);
    return -n;
  }
};

TEST(Arithmetic, SquaresAndCubesLikeTheNotebook) {
  const std::vector<int> numbers{2, 3, 5};
  EXPECT_EQ(arithmetic(numbers, square), (std::vector<int>{4, 9, 25}));
  EXPECT_EQ(arithmetic(numbers, cube), (std::vector<int>{8, 27, 125}));
  EXPECT_EQ(arithmetic(std::vector{10, 1}, square), (std::vector<int>{100, 1}));
}

TEST(Arithmetic, AcceptsAnyCallable) {
  const std::vector<int> numbers{1, 2, 3};
  int offset = 10;  // not const: a lambda that uses it must capture it
  EXPECT_EQ(arithmetic(numbers, &square), (std::vector<int>{1, 4, 9})) << "a function pointer";
  EXPECT_EQ(arithmetic(numbers, [offset](int n) { return n + offset; }),
            (std::vector<int>{11, 12, 13}))
      << "a lambda that captures";
  EXPECT_EQ(arithmetic(numbers, std::negate<>{}), (std::vector<int>{-1, -2, -3}))
      << "a function object";
  const std::function<std::string(int)> spell = [](int n) { return std::string(n, '*'); };
  EXPECT_EQ(arithmetic(numbers, spell), (std::vector<std::string>{"*", "**", "***"}))
      << "a std::function; the results have the callable's type (std::string here)";
  const std::vector<Shape> shapes{{2}, {3}};
  EXPECT_EQ(arithmetic(shapes, &Shape::area), (std::vector<int>{4, 9}))
      << "a pointer to a member function: std::invoke calls shape.area()";
  EXPECT_EQ(arithmetic(shapes, &Shape::side), (std::vector<int>{2, 3}))
      << "a pointer to a data member: std::invoke reads shape.side";
}

TEST(Arithmetic, CallsBackOncePerValueInOrderBeforeReturning) {
  std::vector<std::pair<int, std::thread::id>> calls;
  const auto results = arithmetic(std::vector{7, 1, 4, 1}, [&](int n) {
    calls.emplace_back(n, std::this_thread::get_id());
    return n * 2;
  });
  EXPECT_EQ(results, (std::vector<int>{14, 2, 8, 2}));
  ASSERT_EQ(calls.size(), 4U) << "one call per value (the 1 twice), all before arithmetic "
                                 "returned: this callback runs now, synchronously";
  const std::vector<int> order{calls[0].first, calls[1].first, calls[2].first, calls[3].first};
  EXPECT_EQ(order, (std::vector<int>{7, 1, 4, 1})) << "in the order of the values";
  for (const auto& call : calls) {
    EXPECT_EQ(call.second, std::this_thread::get_id()) << "on the caller's thread";
  }
}

TEST(Arithmetic, CallsTheCallableItWasGiven) {
  Recorder recorder;
  const auto results = arithmetic(std::vector{3, 4}, recorder);
  EXPECT_EQ(results, (std::vector<int>{-3, -4}));
  EXPECT_EQ(recorder.seen, (std::vector<int>{3, 4}))
      << "a function object passed by name must be the one called, not a copy of it: it "
         "remembers its calls";
  auto owned = std::make_unique<int>(100);
  EXPECT_EQ(arithmetic(std::vector{1, 2}, [base = std::move(owned)](int n) { return *base + n; }),
            (std::vector<int>{101, 102}))
      << "a callable that can only be moved (it owns a unique_ptr)";
}

TEST(Arithmetic, NoValuesMeansNoCalls) {
  Recorder recorder;
  EXPECT_TRUE(arithmetic(std::vector<int>{}, recorder).empty());
  EXPECT_TRUE(recorder.seen.empty());
}

}  // namespace
