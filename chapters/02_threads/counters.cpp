#include "counters.hpp"

#include <course/not_implemented.hpp>

namespace threads {

void MutexCounter::add([[maybe_unused]] long amount) {
  // TODO(2.3): lock, add, unlock (std::lock_guard does the unlocking).
  throw course::NotImplemented("2.3", "MutexCounter::add");
}

long MutexCounter::value() const {
  // TODO(2.3)
  throw course::NotImplemented("2.3", "MutexCounter::value");
}

void AtomicCounter::add([[maybe_unused]] long amount) {
  // TODO(2.3): one fetch_add.
  throw course::NotImplemented("2.3", "AtomicCounter::add");
}

long AtomicCounter::value() const {
  // TODO(2.3)
  throw course::NotImplemented("2.3", "AtomicCounter::value");
}

}  // namespace threads
