// Exercise 3.4: letting go of the GIL while blocking.
#pragma once

#include <toy/gil.hpp>
#include <toy/interpreter.hpp>

namespace gil {

// Exercise 3.4 — ReleasedGil: CPython's Py_BEGIN_ALLOW_THREADS ... Py_END_ALLOW_THREADS as a
// scope. Made, it drops the GIL (which the calling thread holds); destroyed, it takes it again
// — also when an exception leaves the scope. Neither copyable nor movable.
class ReleasedGil {
 public:
  explicit ReleasedGil(toy::Gil& held);
  ReleasedGil(const ReleasedGil&) = delete;
  ReleasedGil& operator=(const ReleasedGil&) = delete;
  ~ReleasedGil();

 private:
  toy::Gil& gil_;
};

// Exercise 3.4 — sleep_releasing_the_gil(): the built-in `sleep(ms)`, done right: it lets go
// of the GIL while it sleeps (with a ReleasedGil), so that other threads run meanwhile. It
// returns 0. (Compare toy::sleep_holding_the_gil, which keeps the GIL.)
toy::Builtin sleep_releasing_the_gil();

}  // namespace gil
