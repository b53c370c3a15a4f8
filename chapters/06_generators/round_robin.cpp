#include "round_robin.hpp"

#include <course/not_implemented.hpp>

namespace generators {

void RoundRobin::spawn([[maybe_unused]] Task task) {
  // TODO(6.6): keep the task, and put it in the queue of ready tasks.
  throw course::NotImplemented("6.6", "RoundRobin::spawn");
}

void RoundRobin::run() {
  // TODO(6.6): until every task has ended: wake the sleepers whose time has come; run the first
  // ready task one step (next()); queue it again, park it, or drop it, by what it yielded;
  // with none ready, wait through clock_ for the first sleeper (clock_.wait_until wants a
  // std::unique_lock and a std::condition_variable: here nothing notifies it, only time passes).
  throw course::NotImplemented("6.6", "RoundRobin::run");
}

}  // namespace generators
