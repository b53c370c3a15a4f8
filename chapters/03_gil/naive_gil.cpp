#include "naive_gil.hpp"

#include <course/not_implemented.hpp>

namespace gil {

void NaiveGil::take() {
  // TODO(3.1): lock; if the last holder was another thread, count a switch; remember who holds.
  throw course::NotImplemented("3.1", "NaiveGil::take");
}

void NaiveGil::drop() {
  // TODO(3.1)
  throw course::NotImplemented("3.1", "NaiveGil::drop");
}

bool NaiveGil::should_yield() {
  // TODO(3.1)
  throw course::NotImplemented("3.1", "NaiveGil::should_yield");
}

long NaiveGil::switches() const {
  // TODO(3.1)
  throw course::NotImplemented("3.1", "NaiveGil::switches");
}

}  // namespace gil
