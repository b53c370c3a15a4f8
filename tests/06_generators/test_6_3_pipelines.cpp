// Exercise 6.3: pipelines of generators, with the standard views and with the student's own.
#include <cstdint>
#include <ranges>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <course/allocations.hpp>
#include <course/testing.hpp>

#include "generator.hpp"
#include "pipeline.hpp"
#include "sequences.hpp"
#include "views_support.hpp"

namespace {

using generators::Generator;

bool is_prime(std::uint64_t n) {
  if (n < 2) return false;
  for (std::uint64_t d = 2; d * d <= n; ++d) {
    if (n % d == 0) return false;
  }
  return true;
}

// 0, 1, 2, ... counting how many values were pulled from it.
Generator<int> counted(int& pulled) {
  for (int n = 0;; ++n) {
    ++pulled;
    co_yield n;
  }
}

template <class Range>
auto collect(Range&& range) {
  std::vector<std::ranges::range_value_t<Range>> values;
  for (auto&& value : range) values.push_back(value);
  return values;
}

TEST(Pipelines, TheStandardViewsWorkOnAGenerator) {
#if COURSE_STD_VIEWS_COMPILE
  const auto primes =
      collect(generators::naturals() | std::views::filter(is_prime) | std::views::take(10));
#else  // see views_support.hpp: the same pipeline with exercise 6.3's own stages
  const auto primes =
      collect(generators::take(generators::filter(generators::naturals(), is_prime), 10));
#endif
  EXPECT_EQ(primes, (std::vector<std::uint64_t>{2, 3, 5, 7, 11, 13, 17, 19, 23, 29}))
      << "naturals() | filter(is_prime) | take(10): an infinite generator, filtered, cut";
}

TEST(Take, GivesTheFirstValuesAndPullsNoMore) {
  int pulled = 0;
  EXPECT_EQ(collect(generators::take(counted(pulled), 5)), (std::vector<int>{0, 1, 2, 3, 4}));
  EXPECT_EQ(pulled, 5) << "take(source, 5) must stop after the 5th value, without asking the "
                          "source for a 6th";
  pulled = 0;
  EXPECT_TRUE(collect(generators::take(counted(pulled), 0)).empty());
  EXPECT_EQ(pulled, 0) << "take(source, 0) pulls nothing";
  EXPECT_EQ(collect(generators::take(generators::generator_function(), 5)),
            (std::vector<std::string>{"something", "other thing"}))
      << "a source shorter than n simply ends";
}

TEST(Take, IsLazy) {
  int pulled = 0;
  auto first = generators::take(counted(pulled), 3);
  EXPECT_EQ(pulled, 0) << "making the pipeline pulls nothing";
  EXPECT_EQ(first.next(), 0);
  EXPECT_EQ(pulled, 1) << "each value is pulled from the source when it is asked for";
}

TEST(Filter, KeepsTheValuesThePredicateAccepts) {
  int pulled = 0;
  auto odd = generators::filter(counted(pulled), [](int n) { return n % 2 == 1; });
  EXPECT_EQ(odd.next(), 1);
  EXPECT_EQ(pulled, 2) << "to find the first odd number, filter pulls 0 and 1 — and no more";
  EXPECT_EQ(odd.next(), 3);
  EXPECT_EQ(odd.next(), 5);
  EXPECT_EQ(pulled, 6);
  EXPECT_EQ(collect(generators::filter(generators::generator_function(),
                                       [](const std::string& s) { return s.size() > 9; })),
            (std::vector<std::string>{"other thing"}));
}

TEST(Transform, AppliesTheFunctionToEachValueWhenAskedFor) {
  int pulled = 0;
  int calls = 0;
  auto squares = generators::transform(counted(pulled), [&calls](int n) {
    ++calls;
    return n * n;
  });
  EXPECT_EQ(calls, 0);
  EXPECT_EQ(squares.next(), 0);
  EXPECT_EQ(squares.next(), 1);
  EXPECT_EQ(squares.next(), 4);
  EXPECT_EQ(calls, 3) << "the function is called once per value, when the value is asked for";
  EXPECT_EQ(pulled, 3);
  const auto lengths = collect(generators::transform(
      generators::generator_function(), [](const std::string& s) { return s.size(); }));
  EXPECT_EQ(lengths, (std::vector<std::size_t>{9, 11})) << "the result type is the function's";
}

TEST(Pipelines, NothingIsMaterialised) {
  int pulled = 0;
  const course::AllocationCounter counter;
  auto pipeline = generators::take(
      generators::transform(generators::filter(counted(pulled), [](int n) { return n % 3 == 0; }),
                            [](int n) { return n / 3; }),
      1000);
  const std::size_t frames = counter.count();
  long sum = 0;
  for (const int n : pipeline) sum += n;
  EXPECT_EQ(sum, 999L * 1000 / 2);
  EXPECT_EQ(pulled, 2998) << "the 1000th multiple of 3 is 2997: the source was asked for 0 to "
                             "2997, and nothing more";
  EXPECT_LE(frames, 4U) << "four generators, four frames";
  EXPECT_EQ(counter.count(), frames)
      << "1000 values through the pipeline allocated " << counter.count() - frames
      << " times beyond the frames: no stage may store what it passes on";
}

}  // namespace
