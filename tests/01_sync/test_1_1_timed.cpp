// Exercise 1.1: timed(f, args...).
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include <course/testing.hpp>

#include "timed.hpp"

namespace {

using namespace std::chrono_literals;
using synchronous::timed;

const auto kNap = course::scaled(20ms);

TEST(Timed, ReturnsTheResultAndHowLongTheCallTook) {
  const auto result = timed([] {
    std::this_thread::sleep_for(kNap);
    return 42;
  });
  EXPECT_EQ(result.value, 42) << "timed() must return what the callable returned";
  EXPECT_TRUE(course::took_at_least(result.elapsed, kNap))
      << "The callable slept for " << course::format_millis(kNap)
      << ", so the call cannot have taken less. Read the clock before the call and again after.";
  EXPECT_TRUE(course::took_at_most(result.elapsed, course::generous(kNap)))
      << "Measure only the call itself.";
}

TEST(Timed, WorksForCallablesThatReturnNothing) {
  bool called = false;
  const synchronous::Timed<void> result = timed([&called] {
    std::this_thread::sleep_for(kNap);
    called = true;
  });
  EXPECT_TRUE(called) << "timed() must call the callable";
  int calls = 0;
  (void)timed([&calls] { ++calls; });
  (void)timed([&calls] { return ++calls; });
  EXPECT_EQ(calls, 2) << "timed() calls the callable exactly once, whatever it returns";
  EXPECT_TRUE(course::took_at_least(result.elapsed, kNap));
}

struct Counter {
  int total = 0;
  int add(int amount) { return total += amount; }
};

int twice(int x) {
  return 2 * x;
}

TEST(Timed, AcceptsAnyCallable) {
  EXPECT_EQ(timed(twice, 21).value, 42) << "a plain function";
  EXPECT_EQ(timed(&twice, 4).value, 8) << "a pointer to a function";
  Counter counter;
  EXPECT_EQ(timed(&Counter::add, counter, 5).value, 5)
      << "a member function with its object (std::invoke calls those)";
  EXPECT_EQ(counter.total, 5) << "the member function must run on the object given, not a copy";
  const auto shout = [](const std::string& word) { return word + "!"; };
  EXPECT_EQ(timed(shout, std::string("hello")).value, "hello!") << "a lambda";
}

TEST(Timed, PassesArgumentsOnAsTheyWereGiven) {
  int counter = 0;
  const auto add = [](int& total, std::unique_ptr<int> step) {
    total += *step;
    return std::make_unique<int>(total);
  };
  // `counter` is an lvalue the callable changes; the unique_ptr can only be moved in, and the
  // result can only be moved out.
  auto result = timed(add, counter, std::make_unique<int>(5));
  EXPECT_EQ(counter, 5) << "`counter` reached the callable as a copy: forward the arguments "
                           "(std::forward<Args>(args)...) instead of copying them";
  ASSERT_NE(result.value, nullptr);
  EXPECT_EQ(*result.value, 5);
}

TEST(Timed, LetsExceptionsThrough) {
  const auto failing = []() -> int { throw std::runtime_error("the server is down"); };
  EXPECT_THROW((void)timed(failing), std::runtime_error)
      << "an exception from the callable must reach timed()'s caller unchanged";
}

}  // namespace
