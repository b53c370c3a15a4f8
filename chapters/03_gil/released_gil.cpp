#include "released_gil.hpp"

#include <chrono>
#include <thread>

#include <course/not_implemented.hpp>

namespace gil {

ReleasedGil::ReleasedGil(toy::Gil& held) : gil_(held) {
  // TODO(3.4)
  throw course::NotImplemented("3.4", "ReleasedGil's constructor");
}

ReleasedGil::~ReleasedGil() {
  // TODO(3.4)
  course::report_not_implemented("3.4", "ReleasedGil's destructor");
}

toy::Builtin sleep_releasing_the_gil() {
  // TODO(3.4): a Builtin named "sleep" whose function sleeps inside a ReleasedGil scope.
  throw course::NotImplemented("3.4", "sleep_releasing_the_gil");
}

}  // namespace gil
