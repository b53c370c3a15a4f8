// Exercise 6.2: infinite sequences, lazily, in O(1) memory.
#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <course/allocations.hpp>
#include <course/testing.hpp>

#include "sequences.hpp"

namespace {

using generators::fibonacci;
using generators::naturals;

TEST(Naturals, StartAtZeroAndGoOn) {
  auto numbers = naturals();
  for (std::uint64_t expected = 0; expected < 10'000; ++expected) {
    const auto value = numbers.next();
    ASSERT_TRUE(value.has_value()) << "naturals() ended at " << expected;
    ASSERT_EQ(*value, expected);
  }
}

TEST(Fibonacci, GivesTheSequenceUpToTheTopOf128Bits) {
  std::vector<unsigned __int128> values;
  for (const unsigned __int128 value : fibonacci()) {
    values.push_back(value);
    if (values.size() == 1'000) break;  // a generator that wraps around would never end
  }
  const auto shown = [&](std::size_t count) {
    std::string text;
    for (std::size_t i = 0; i < std::min(count, values.size()); ++i) {
      text += (i == 0 ? "" : ", ") + course::decimal(values[i]);
    }
    return text;
  };
  ASSERT_GE(values.size(), 11U) << "it gave only " << shown(11);
  const std::vector<unsigned __int128> first{0, 1, 1, 2, 3, 5, 8, 13, 21, 34, 55};
  EXPECT_TRUE(std::equal(first.begin(), first.end(), values.begin()))
      << "expected 0, 1, 1, 2, 3, 5, 8, 13, 21, 34, 55; got " << shown(11);
  EXPECT_EQ(values.size(), 187U)
      << "F(0) to F(186) fit in 128 bits; F(187) does not: the generator must end after F(186) "
         "— not wrap around, and not one value early";
  if (values.size() > 100) {
    EXPECT_EQ(course::decimal(values[100]), "354224848179261915075") << "F(100)";
  }
  EXPECT_EQ(course::decimal(values.back()), "332825110087067562321196029789634457848")
      << "the last value must be F(186), the last that fits";
}

// The frame is allocated once, when the generator is made; each value after that costs nothing.
// (A compiler may even put the frame on the caller's stack — "HALO" — and allocate nothing.)
TEST(Laziness, TenValuesOfAnInfiniteGeneratorAllocateOneFrame) {
  const course::AllocationCounter made;
  auto numbers = naturals();
  const std::size_t for_the_frame = made.count();
  EXPECT_LE(for_the_frame, 1U) << "making a generator allocates its frame, and nothing else";
  const course::AllocationCounter pulling;
  std::uint64_t sum = 0;
  for (int i = 0; i < 10; ++i) sum += numbers.next().value_or(0);
  EXPECT_EQ(sum, 45U);
  EXPECT_EQ(pulling.count(), 0U) << "ten values of an infinite sequence allocated "
                                 << pulling.count()
                                 << " times: a generator computes each value "
                                    "when asked, and stores none";
}

TEST(Laziness, AMillionValuesTakeNoMoreMemoryThanTen) {
  const course::AllocationCounter counter;
  std::uint64_t sum = 0;
  for (const std::uint64_t n : naturals()) {
    if (n == 1'000'000) break;
    sum += n;
  }
  EXPECT_EQ(sum, 499'999'500'000U);
  EXPECT_LE(counter.count(), 1U) << "the generator's frame, and nothing per value";
  EXPECT_LT(counter.bytes(), 1024U) << "a frame is a few dozen bytes; a million values in a "
                                       "std::vector would be 8 MB";
}

}  // namespace
