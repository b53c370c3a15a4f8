#include <cstdlib>
#include <new>

#include <course/allocations.hpp>

namespace {

// Per thread, so another thread's allocations (the deadline watchdog's) never count.
thread_local std::size_t allocated_count = 0;
thread_local std::size_t allocated_bytes = 0;

void* allocate(std::size_t size) {
  ++allocated_count;
  allocated_bytes += size;
  if (void* memory = std::malloc(size == 0 ? 1 : size)) return memory;
  throw std::bad_alloc();
}

}  // namespace

// The replaceable global allocation functions ([new.delete]): every new in the program,
// coroutine frames included, comes through here.
void* operator new(std::size_t size) {
  return allocate(size);
}
void* operator new[](std::size_t size) {
  return allocate(size);
}
// The nothrow forms too (std::stable_sort's buffer comes from one): left alone, under
// AddressSanitizer they are its own, and a block they allocate would be freed by the delete here.
void* operator new(std::size_t size, const std::nothrow_t& /*unused*/) noexcept {
  try {
    return allocate(size);
  } catch (const std::bad_alloc&) {
    return nullptr;
  }
}
void* operator new[](std::size_t size, const std::nothrow_t& tag) noexcept {
  return operator new(size, tag);
}
void operator delete(void* memory, const std::nothrow_t& /*unused*/) noexcept {
  std::free(memory);
}
void operator delete[](void* memory, const std::nothrow_t& /*unused*/) noexcept {
  std::free(memory);
}
void operator delete(void* memory) noexcept {
  std::free(memory);
}
void operator delete[](void* memory) noexcept {
  std::free(memory);
}
void operator delete(void* memory, std::size_t /*size*/) noexcept {
  std::free(memory);
}
void operator delete[](void* memory, std::size_t /*size*/) noexcept {
  std::free(memory);
}

namespace course {

AllocationCounter::AllocationCounter()
    : start_count_(allocated_count), start_bytes_(allocated_bytes) {}
std::size_t AllocationCounter::count() const {
  return allocated_count - start_count_;
}
std::size_t AllocationCounter::bytes() const {
  return allocated_bytes - start_bytes_;
}

}  // namespace course
