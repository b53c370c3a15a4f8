// The toy language's values: integers in objects on the heap, each with a reference count —
// a plain long, as in CPython. Copying a Ref adds a reference, dropping one removes it, and the
// last one frees the object. Nothing here is safe for two threads at once: that is the GIL's job.
#pragma once

#include <atomic>
#include <memory>
#include <utility>

namespace toy {

struct Object {
  long refcount = 1;  // not atomic: changed by whichever thread holds the GIL
  long value = 0;
};

// Counts the objects alive, so that tests can see a leak or a double free. (Atomic, unlike the
// reference counts: it is bookkeeping for the tests, not part of the lesson.)
inline std::atomic<long>& objects_alive() {
  static std::atomic<long> alive{0};
  return alive;
}

class Ref {
 public:
  Ref() = default;
  // A new object holding `value`, with this as its only reference.
  static Ref make(long value) {
    auto object = std::make_unique<Object>();
    object->value = value;
    objects_alive().fetch_add(1, std::memory_order_relaxed);
    return Ref(object.release());
  }

  Ref(const Ref& other) : object_(other.object_) {
    if (object_ != nullptr) ++object_->refcount;  // CPython's Py_INCREF
  }
  Ref(Ref&& other) noexcept : object_(std::exchange(other.object_, nullptr)) {}
  Ref& operator=(Ref other) noexcept {
    std::swap(object_, other.object_);
    return *this;
  }
  ~Ref() {
    // CPython's Py_DECREF: two threads doing this at once can both read the same count, and
    // the object is freed twice or never.
    if (object_ != nullptr && --object_->refcount == 0) {
      const std::unique_ptr<Object> last(object_);
      objects_alive().fetch_sub(1, std::memory_order_relaxed);
    }
  }

  [[nodiscard]] long value() const { return object_->value; }
  [[nodiscard]] long refcount() const { return object_->refcount; }

 private:
  explicit Ref(Object* object) : object_(object) {}
  Object* object_ = nullptr;
};

}  // namespace toy
