// The toy interpreter: a small bytecode machine, complete — read it in one sitting.
//
// Its values are reference-counted objects (object.hpp) whose counts are plain longs, and its
// programs' constants are objects shared by every thread that runs the program: two threads
// running at once would change the same counts at once. So, like CPython, it runs a thread's
// program only while that thread holds the runtime's GIL (gil.hpp), and it offers to let go of
// it at every backward jump. Built-ins (builtins.hpp) may let go of it while they block.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "gil.hpp"
#include "object.hpp"

namespace toy {

enum class Op : std::uint8_t {
  constant,      // push constants[arg]
  load,          // push locals[arg]
  store,         // locals[arg] = pop
  add,           // b = pop, a = pop, push a + b
  subtract,      // b = pop, a = pop, push a - b
  less,          // b = pop, a = pop, push a < b (1 or 0)
  jump,          // go to instruction arg; a jump backwards is a check point for the GIL
  jump_if_zero,  // if pop is 0, go to instruction arg
  call,          // push builtins[arg](pop): the program's builtins, by name
  halt,          // the program's result is the top of the stack (0 if it is empty)
};

struct Instruction {
  Op op;
  int arg = 0;
};

struct Program {
  std::string name;
  std::vector<long> constants;
  std::vector<std::string> builtins;  // the names `call` refers to
  int locals = 0;
  std::vector<Instruction> code;
};

// A program made ready to run: its constants are objects, shared by every thread that runs it.
class Code {
 public:
  explicit Code(Program program);
  [[nodiscard]] const Program& program() const { return program_; }
  [[nodiscard]] const Ref& constant(int index) const {
    return constants_.at(static_cast<std::size_t>(index));
  }
  // The constants' reference counts: 1 each whenever no thread runs the program.
  [[nodiscard]] std::vector<long> constant_refcounts() const;

 private:
  Program program_;
  std::vector<Ref> constants_;
};

// A function written in C++, called by a program with one argument, on the thread that holds
// the GIL (like a function of a C extension). It may drop the GIL while it blocks, and must hold
// it again when it returns.
struct Builtin {
  std::string name;
  std::function<long(Gil& gil, long argument)> function;
};

// What one thread did while running a program.
struct ThreadStats {
  long instructions = 0;
  long holds = 0;   // times it took the GIL
  long yields = 0;  // times it let go of it at a check point
};

using Clock = std::chrono::steady_clock;

// What the threads of one interpreter share: the GIL and the built-ins.
class Runtime {
 public:
  explicit Runtime(Gil& gil, std::vector<Builtin> builtins = {});

  // Runs `code` on the calling thread, under the GIL, and returns its result. Many threads may
  // call it at once: the GIL lets one of them run the interpreter at a time.
  long run(const Code& code, ThreadStats* stats = nullptr);

  // The most threads that ever held the GIL at once: 1, when the GIL works.
  [[nodiscard]] int max_holders() const { return max_holders_.load(); }
  // How many times the GIL passed from one thread to another (the GIL's own count).
  [[nodiscard]] long switches() const { return gil_.switches(); }
  // Called by each thread as it lets go of the GIL, with when it asked for it, when it got it,
  // and now: for timelines, and to see who waited. Set it before any thread runs.
  using HoldHook = std::function<void(Clock::time_point asked, Clock::time_point taken,
                                      Clock::time_point dropped)>;
  void on_hold(HoldHook hook);

 private:
  class HoldingGil;  // the GIL as the interpreter and the built-ins see it: counts the holders
  friend class HoldingGil;
  class Holding;

  Gil& gil_;
  std::vector<Builtin> builtins_;
  std::atomic<int> holders_{0};
  std::atomic<int> max_holders_{0};
  HoldHook on_hold_;
};

// Runs `code` on `threads` threads at once, each calling runtime.run(code); returns what each
// thread did, when they have all finished.
std::vector<ThreadStats> run_on_threads(Runtime& runtime, const Code& code, int threads);

}  // namespace toy
