// The seeds' experiments that chapter 1 answers: blocking calls, one after another.
#include <chrono>
#include <cmath>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "errands.hpp"
#include "seeds.hpp"
#include "users.hpp"

namespace seeds {

namespace {

// Sleeps are asked for in the chapter's clock's ticks (nanoseconds): a fractional ms unit
// (--unit-ms 0.5) must not be truncated to 0.
synchronous::Clock::duration ticks(Seconds d) {
  return std::chrono::duration_cast<synchronous::Clock::duration>(d);
}

}  // namespace

// Seed 000's sync_user_call ×3: chapter 1's fetch_all over the given blocking fetch_user (1.3).
Outcome three_users_sync(Seconds unit) {
  const std::vector<synchronous::UserRequest> requests{
      {1, ticks(unit)}, {2, ticks(unit)}, {3, ticks(unit)}};
  const auto users = synchronous::fetch_all(requests);
  std::vector<int> ids;
  for (const auto& user : users.value) {
    say(fmt::format("This is {} calling the method sync with delay = {} s", user.name,
                    unit.count()));
    ids.push_back(user.id);
  }
  const bool ok = users.value.size() == 3 && users.value[0].name == "user 1" &&
                  users.value[1].name == "user 2" && users.value[2].name == "user 3";
  return {users.elapsed, unit, ok, fmt::format("users {}", ids)};
}

// Seed 003's cake and groceries, synchronously: chapter 1's run_errands over the notebooks'
// morning (1.6), each step a blocking sleep of its minutes.
Outcome cake_sequential(Seconds minute) {
  const auto steps = synchronous::cake_and_groceries();
  const auto morning = synchronous::run_errands(steps, synchronous::sleep_through(ticks(minute)));
  // When each errand ended, in minutes: its last step's end.
  long cake = -1;
  long groceries = -1;
  for (const auto& done : morning.done) {
    const auto at = std::lround(Seconds(done.end) / minute);
    say(fmt::format("{} min: {} ({}) done", at, done.step, done.errand));
    (done.errand == "cake" ? cake : groceries) = at;
  }
  return {morning.total, minute, cake >= 0 && cake < groceries,
          fmt::format("cake at {} min, groceries at {} min", cake, groceries)};
}

}  // namespace seeds
