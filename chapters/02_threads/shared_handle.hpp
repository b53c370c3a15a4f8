// Exercise 2.4: a handle that many threads copy and drop — a reference count made thread-safe.
#pragma once

#include <atomic>
#include <memory>
#include <utility>

#include <course/not_implemented.hpp>

namespace threads {

// Exercise 2.4 — SharedHandle<T>: like std::shared_ptr, several handles share one T, and the T
// lives while any of them does. Copying a handle adds an owner; destroying one removes one; the
// last owner to go destroys the T — exactly once, even when threads copy and drop handles of
// the same T at the same moment. The count of owners is a std::atomic<long>.
template <class T>
class SharedHandle {
 public:
  // A handle owning a new T made from `args`: its only owner. (Given.)
  template <class... Args>
  static SharedHandle make(Args&&... args) {
    auto block = std::make_unique<Block>(std::forward<Args>(args)...);
    return SharedHandle(block.release());  // from here on the handles own the block
  }

  // An empty handle: owns nothing.
  SharedHandle() = default;

  // Exercise 2.4: one more owner of other's T.
  SharedHandle([[maybe_unused]] const SharedHandle& other) {
    // TODO(2.4): share the block, and count the new owner.
    throw course::NotImplemented("2.4", "SharedHandle's copy constructor");
  }

  // Takes over other's ownership; other is left empty. (Given: the count does not change.)
  SharedHandle(SharedHandle&& other) noexcept : block_(std::exchange(other.block_, nullptr)) {}

  // Copy-and-swap: `other` is a copy (or was moved in); this handle's old block leaves with
  // it when it is destroyed. (Given: the copy constructor and destructor do the counting.)
  SharedHandle& operator=(SharedHandle other) noexcept {
    std::swap(block_, other.block_);
    return *this;
  }

  // Exercise 2.4: one owner fewer; the last owner destroys the block (and with it the T).
  ~SharedHandle() {
    // TODO(2.4): count this owner out; if it was the last, delete the block.
    course::report_not_implemented("2.4", "SharedHandle's destructor");
  }

  // Exercise 2.4: how many handles own the T (0 for an empty handle).
  [[nodiscard]] long use_count() const {
    // TODO(2.4)
    throw course::NotImplemented("2.4", "SharedHandle::use_count");
  }

  T& operator*() const { return block_->value; }
  T* operator->() const { return &block_->value; }
  explicit operator bool() const { return block_ != nullptr; }

 private:
  struct Block {
    template <class... Args>
    explicit Block(Args&&... args) : value(std::forward<Args>(args)...) {}
    std::atomic<long> owners{1};
    T value;
  };

  explicit SharedHandle(Block* block) : block_(block) {}

  Block* block_ = nullptr;
};

}  // namespace threads
