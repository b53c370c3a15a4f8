#include "tick_gil.hpp"

#include <course/not_implemented.hpp>

namespace gil {

void TickGil::take() {
  // TODO(3.2): draw a ticket; wait until it is served; count a switch if another thread held
  // the GIL last.
  throw course::NotImplemented("3.2", "TickGil::take");
}

void TickGil::drop() {
  // TODO(3.2): serve the next ticket; wake the waiters (which of them holds it?).
  throw course::NotImplemented("3.2", "TickGil::drop");
}

bool TickGil::should_yield() {
  // TODO(3.2): count a tick; true on every interval_-th.
  throw course::NotImplemented("3.2", "TickGil::should_yield");
}

long TickGil::switches() const {
  // TODO(3.2)
  throw course::NotImplemented("3.2", "TickGil::switches");
}

}  // namespace gil
