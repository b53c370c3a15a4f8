#include "interpreter.hpp"

#include <algorithm>
#include <exception>
#include <stdexcept>
#include <thread>
#include <utility>

namespace toy {

Code::Code(Program program) : program_(std::move(program)) {
  for (const long value : program_.constants) constants_.push_back(Ref::make(value));
}

std::vector<long> Code::constant_refcounts() const {
  std::vector<long> counts;
  for (const Ref& constant : constants_) counts.push_back(constant.refcount());
  return counts;
}

// The GIL as the interpreter and the built-ins of one running program see it: every call goes
// on to the runtime's GIL, and on the way it counts how many threads hold it at once and
// reports each hold. (One per thread: `asked_` and `taken_` are that thread's.)
class Runtime::HoldingGil final : public Gil {
 public:
  explicit HoldingGil(Runtime& runtime) : runtime_(runtime) {}

  void take() override {
    asked_ = Clock::now();
    runtime_.gil_.take();
    const int holding = runtime_.holders_.fetch_add(1) + 1;
    int most = runtime_.max_holders_.load();
    while (holding > most && !runtime_.max_holders_.compare_exchange_weak(most, holding)) {
    }
    taken_ = Clock::now();
  }

  void drop() override {
    if (runtime_.on_hold_) runtime_.on_hold_(asked_, taken_, Clock::now());
    runtime_.holders_.fetch_sub(1);
    runtime_.gil_.drop();
  }

  bool should_yield() override { return runtime_.gil_.should_yield(); }
  [[nodiscard]] long switches() const override { return runtime_.gil_.switches(); }

 private:
  Runtime& runtime_;
  Clock::time_point asked_;
  Clock::time_point taken_;
};

// Holds the GIL for as long as it lives, and lets go of it at a check point when asked to.
class Runtime::Holding {
 public:
  Holding(Gil& gil, ThreadStats& stats) : gil_(gil), stats_(stats) { take(); }
  Holding(const Holding&) = delete;
  Holding& operator=(const Holding&) = delete;
  ~Holding() { gil_.drop(); }

  // CPython's eval breaker: another thread asked for the GIL; give it a turn.
  void check_point() {
    if (gil_.should_yield()) {
      gil_.drop();
      ++stats_.yields;
      take();
    }
  }

 private:
  void take() {
    gil_.take();
    ++stats_.holds;
  }

  Gil& gil_;
  ThreadStats& stats_;
};

Runtime::Runtime(Gil& gil, std::vector<Builtin> builtins)
    : gil_(gil), builtins_(std::move(builtins)) {}

void Runtime::on_hold(HoldHook hook) {
  on_hold_ = std::move(hook);
}

long Runtime::run(const Code& code, ThreadStats* stats) {
  ThreadStats unused;
  ThreadStats& counted = stats != nullptr ? *stats : unused;
  const Program& program = code.program();
  std::vector<const Builtin*> builtins;
  for (const auto& name : program.builtins) {
    const auto found =
        std::find_if(builtins_.begin(), builtins_.end(),
                     [&name](const Builtin& builtin) { return builtin.name == name; });
    if (found == builtins_.end()) {
      throw std::invalid_argument("program " + program.name + " calls " + name +
                                  ", which the runtime lacks");
    }
    builtins.push_back(&*found);
  }

  HoldingGil gil(*this);
  Holding holding(gil, counted);
  // From here to the end — the destruction of the stack and the locals included, which drops
  // references — this thread holds the GIL (or has dropped it on purpose).
  std::vector<Ref> stack;
  std::vector<Ref> locals(static_cast<std::size_t>(program.locals));
  const auto pop = [&stack] {
    Ref top = std::move(stack.back());
    stack.pop_back();
    return top;
  };
  const auto& instructions = program.code;
  for (std::size_t pc = 0; pc < instructions.size();) {
    const Instruction instruction = instructions[pc];
    const auto arg = static_cast<std::size_t>(instruction.arg);
    ++counted.instructions;
    switch (instruction.op) {
      case Op::constant:
        stack.push_back(code.constant(instruction.arg));
        break;
      case Op::load:
        stack.push_back(locals[arg]);
        break;
      case Op::store:
        locals[arg] = pop();
        break;
      case Op::add:
      case Op::subtract:
      case Op::less: {
        const Ref right = pop();
        const Ref left = pop();
        const long a = left.value();
        const long b = right.value();
        stack.push_back(Ref::make(instruction.op == Op::add        ? a + b
                                  : instruction.op == Op::subtract ? a - b
                                                                   : (a < b ? 1 : 0)));
        break;
      }
      case Op::jump:
        if (arg <= pc) holding.check_point();
        pc = arg;
        continue;
      case Op::jump_if_zero:
        if (pop().value() == 0) {
          pc = arg;
          continue;
        }
        break;
      case Op::call: {
        const Ref argument = pop();
        stack.push_back(Ref::make(builtins[arg]->function(gil, argument.value())));
        break;
      }
      case Op::halt:
        return stack.empty() ? 0 : stack.back().value();
    }
    ++pc;
  }
  return stack.empty() ? 0 : stack.back().value();
}

std::vector<ThreadStats> run_on_threads(Runtime& runtime, const Code& code, int threads) {
  std::vector<ThreadStats> stats(static_cast<std::size_t>(threads));
  std::vector<std::exception_ptr> errors(stats.size());
  {
    std::vector<std::jthread> running;
    for (std::size_t i = 0; i < stats.size(); ++i) {
      running.emplace_back([&, i] {
        try {
          (void)runtime.run(code, &stats[i]);
        } catch (...) {
          errors[i] = std::current_exception();
        }
      });
    }
  }
  for (const auto& error : errors) {
    if (error) std::rethrow_exception(error);
  }
  return stats;
}

}  // namespace toy
