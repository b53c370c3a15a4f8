#include "new_gil.hpp"

#include <course/not_implemented.hpp>

namespace gil {

void NewGil::take() {
  // TODO(3.3): while the GIL is locked (`locked_`): note `switches_`, wait on `released_` for
  // at most one interval; timed out, still locked, and no switch since? Set `drop_request_`.
  // Then: lock it, count a switch if another thread held it last, clear the drop request, and
  // tell a thread waiting on `switched_` that the switch happened.
  throw course::NotImplemented("3.3", "NewGil::take");
}

void NewGil::drop() {
  // TODO(3.3): unlock it and wake one waiter on `released_`. If a drop was requested: wait on
  // `switched_` until another thread holds it.
  throw course::NotImplemented("3.3", "NewGil::drop");
}

bool NewGil::should_yield() {
  // TODO(3.3)
  throw course::NotImplemented("3.3", "NewGil::should_yield");
}

long NewGil::switches() const {
  // TODO(3.3)
  throw course::NotImplemented("3.3", "NewGil::switches");
}

}  // namespace gil
