// Why CPython has a GIL: the toy interpreter's reference counts are plain longs. Run it on two
// threads with no lock at all, and the counts of the objects both threads use are corrupted —
// objects are freed too early (a crash) or never (a leak). This program has a data race on
// purpose, which is undefined behaviour: it shows what no program may do. Run it a few times;
// every run goes wrong differently. (ThreadSanitizer reports the race at once.)
//
//   build/demos/03_gil/refcount_race
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <thread>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <toy/interpreter.hpp>
#include <toy/programs.hpp>

namespace {

// No lock at all: every thread runs the interpreter whenever it likes.
class NoGil final : public toy::Gil {
 public:
  void take() override {}
  void drop() override {}
  bool should_yield() override { return false; }
  [[nodiscard]] long switches() const override { return 0; }
};

}  // namespace

int main() {
  // A race can also leave a thread looping for ever on a corrupted object: after 10 s this says
  // so and ends the program (the one way out of a thread that never ends).
  std::thread([] {
    std::this_thread::sleep_for(std::chrono::seconds(10));
    fmt::print(
        "Still running after 10 s: the race left a thread stuck, another way it goes "
        "wrong.\n");
    std::fflush(stdout);
    std::_Exit(3);
  }).detach();
  NoGil nothing;
  toy::Runtime runtime(nothing);
  const toy::Code code(toy::count_to(2'000'000));
  fmt::print("Two threads count to 2,000,000 with no GIL; the program's 3 constants are shared.\n");
  const long alive_before = toy::objects_alive().load();
  toy::run_on_threads(runtime, code, 2);
  fmt::print("Their reference counts afterwards: {} (each should be 1)\n",
             code.constant_refcounts());
  fmt::print("Objects alive: {} more than before (should be 0)\n",
             toy::objects_alive().load() - alive_before);
}
