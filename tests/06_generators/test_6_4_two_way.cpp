// Exercise 6.4: two-way generators — Python's send(), and priming.
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <course/testing.hpp>

#include "two_way.hpp"
#include "two_way_examples.hpp"

namespace {

using generators::TwoWay;
using Strings = std::vector<std::string>;

// Receives three numbers, answering each with its double, then ends; counts how far it got.
TwoWay<int, int> doubles_three(int& steps) {
  ++steps;
  int x = co_yield -1;  // primed: -1 means "nothing yet"
  for (int i = 0; i < 3; ++i) {
    ++steps;
    if (x < 0) throw std::invalid_argument("negative");
    if (i == 2) co_return;
    x = co_yield 2 * x;
  }
}

TEST(TwoWay, StartRunsTheBodyToItsFirstYield) {
  int steps = 0;
  auto doubler = doubles_three(steps);
  EXPECT_EQ(steps, 0) << "lazy, like Generator: nothing runs before start()";
  EXPECT_EQ(doubler.start(), -1) << "start() runs to the first co_yield and gives its value";
  EXPECT_EQ(steps, 1);
  EXPECT_THROW((void)doubler.start(), std::logic_error) << "a generator is started once";
}

TEST(TwoWay, SendIsTheValueOfTheCoYieldItResumes) {
  int steps = 0;
  auto doubler = doubles_three(steps);
  (void)doubler.start();
  EXPECT_EQ(doubler.send(5), 10) << "x = co_yield ...: send(5) makes x 5, and returns the next "
                                    "yield";
  EXPECT_EQ(doubler.send(21), 42);
  EXPECT_EQ(doubler.send(1), std::nullopt) << "the body ended after its third value";
  EXPECT_EQ(doubler.send(1), std::nullopt) << "and stays ended";
  EXPECT_EQ(steps, 4);
}

TEST(TwoWay, SendingBeforeStartIsAnError) {
  int steps = 0;
  auto doubler = doubles_three(steps);
  EXPECT_THROW((void)doubler.send(1), std::logic_error)
      << "before start() the body is not at a co_yield that could receive the value (Python: "
         "\"can't send non-None value to a just-started generator\")";
  EXPECT_EQ(steps, 0);
}

TEST(TwoWay, AnExceptionReachesTheSender) {
  int steps = 0;
  auto doubler = doubles_three(steps);
  (void)doubler.start();
  EXPECT_THROW((void)doubler.send(-3), std::invalid_argument)
      << "what the body throws reaches the send() that resumed it";
  EXPECT_EQ(doubler.send(1), std::nullopt);
}

TEST(RunningAverage, AveragesEverythingSentSoFar) {
  auto average = generators::running_average();
  EXPECT_EQ(average.start(), 0.0) << "primed: nothing averaged yet";
  EXPECT_EQ(average.send(10), 10.0);
  EXPECT_EQ(average.send(20), 15.0);
  EXPECT_EQ(average.send(0), 10.0);
  EXPECT_EQ(average.send(30), 15.0);
}

TEST(Words, AParserFedOneCharacterAtATime) {
  auto parser = generators::words();
  EXPECT_EQ(parser.start(), "");
  Strings found;
  for (const char c : std::string("call  me later ")) {
    const auto word = parser.send(c);
    ASSERT_TRUE(word.has_value()) << "send('" << c << "') found the parser ended: it must go on "
                                  << "for as long as characters come";
    if (!word->empty()) found.push_back(*word);
  }
  EXPECT_EQ(found, (Strings{"call", "me", "later"}))
      << "each space ends the word before it (two spaces, one word)";
}

}  // namespace
