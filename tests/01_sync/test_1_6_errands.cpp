// Exercise 1.6: the notebooks' morning of errands, done one after another.
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <course/testing.hpp>

#include "errands.hpp"

namespace {

using namespace std::chrono_literals;
using synchronous::cake_and_groceries;
using synchronous::Morning;
using synchronous::run_errands;
using synchronous::Step;

// The morning as a timeline picture, for failure messages.
std::string timeline(const Morning& morning) {
  std::vector<course::Span> spans;
  for (const auto& done : morning.done) {
    spans.push_back({done.errand + ": " + done.step, 0, done.start, done.end});
  }
  return course::draw_timeline(spans);
}

TEST(RunErrands, DoesEveryStepOnceInOrder) {
  std::vector<std::string> performed;
  const auto steps = cake_and_groceries();
  const Morning morning =
      run_errands(steps, [&performed](const Step& step) { performed.push_back(step.name); });
  const std::vector<std::string> expected{"prepare the dough", "bake in the oven", "buy groceries"};
  EXPECT_EQ(performed, expected) << "do every step with do_step, once, in the order given";
  ASSERT_EQ(morning.done.size(), steps.size()) << "report every step that was done";
  for (std::size_t i = 0; i < steps.size(); ++i) {
    EXPECT_EQ(morning.done[i].errand, steps[i].errand) << "step " << i;
    EXPECT_EQ(morning.done[i].step, steps[i].name) << "step " << i;
  }
}

TEST(RunErrands, TheNotebooksMorningTakesEightyUnits) {
  const auto unit = course::scaled(1ms);
  const auto steps = cake_and_groceries();
  const Morning morning = run_errands(steps, synchronous::sleep_through(unit));
  ASSERT_EQ(morning.done.size(), steps.size()) << "report every step that was done";

  const course::Millis total = 80 * unit;
  const course::Millis waiting = 45 * unit;
  course::record_figure("morning", course::format_millis(morning.total),
                        "≥ " + course::format_millis(total));
  course::record_figure("waiting", course::format_millis(morning.waiting),
                        "≥ " + course::format_millis(waiting));
  // The timeline goes with the first message only: one picture per failure is enough.
  EXPECT_TRUE(course::took_at_least(morning.total, total))
      << "15 + 45 + 20 units, one after another, are 80 units:\n"
      << timeline(morning);
  EXPECT_TRUE(course::took_at_most(morning.total, course::generous(total)));
  EXPECT_TRUE(course::took_at_least(morning.waiting, waiting))
      << "the 45 units in the oven are spent only waiting";
  // Exact, whatever the machine's load: the 15 + 20 units of dough and shopping are sleeps that
  // never end early, and they are not waiting.
  EXPECT_TRUE(course::took_at_least(morning.total - morning.waiting, 35 * unit))
      << "the dough and the shopping (15 + 20 units) are not waiting: count only the steps "
         "marked waiting";
  std::string too_short;
  for (std::size_t i = 0; i < steps.size(); ++i) {
    const auto& done = morning.done[i];
    if (done.end - done.start < steps[i].units * unit) {
      too_short += fmt::format("  {} lasts {} units, but took {}\n", done.step, steps[i].units,
                               course::format_millis(done.end - done.start));
    }
  }
  EXPECT_EQ(too_short, "") << "each step's start and end, around its do_step:\n"
                           << timeline(morning);
}

TEST(RunErrands, TimesAreMeasuredFromTheStart) {
  const auto unit = course::scaled(1ms);
  const auto steps = cake_and_groceries();
  const Morning morning = run_errands(steps, synchronous::sleep_through(unit));
  ASSERT_EQ(morning.done.size(), steps.size());
  EXPECT_TRUE(course::took_at_most(morning.done.front().start, course::generous(0ms)))
      << "the first step starts right away: times count from the call of run_errands\n"
      << timeline(morning);
  std::string overlapping;
  for (std::size_t i = 1; i < morning.done.size(); ++i) {
    if (morning.done[i].start < morning.done[i - 1].end) {
      overlapping += fmt::format("  {} starts before {} has ended\n", morning.done[i].step,
                                 morning.done[i - 1].step);
    }
  }
  EXPECT_EQ(overlapping, "") << "each step starts after the one before it has ended:\n"
                             << timeline(morning);
  EXPECT_GE(morning.total, morning.done.back().end) << "the total covers the last step";
}

}  // namespace
