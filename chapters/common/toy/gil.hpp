// toy::Gil — what the toy interpreter needs from a global interpreter lock.
//
// The interpreter (interpreter.hpp) calls these exactly where CPython's eval loop does: take()
// before it runs a thread's program, should_yield() at every backward jump (the end of each loop
// iteration), drop() and take() again when should_yield() says so, and drop() when the program
// ends. Blocking built-ins (builtins.hpp) drop the GIL while they block.
#pragma once

namespace toy {

class Gil {
 public:
  Gil() = default;
  Gil(const Gil&) = delete;
  Gil& operator=(const Gil&) = delete;
  virtual ~Gil() = default;

  // Waits until the calling thread holds the GIL.
  virtual void take() = 0;
  // Lets go of the GIL, which the calling thread holds.
  virtual void drop() = 0;
  // Asked by the holder at each check point: whether it should let another thread run now.
  virtual bool should_yield() = 0;
  // How many times the GIL passed from one thread to another.
  [[nodiscard]] virtual long switches() const = 0;
};

}  // namespace toy
