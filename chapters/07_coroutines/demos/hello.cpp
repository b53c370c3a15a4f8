// The notebooks' first coroutine: calling it runs nothing; awaiting it runs it.
//
//   $ build/demos/07_coroutines/hello
#include <cstdio>

#include <fmt/format.h>

#include <course/demo.hpp>

#include "event_loop.hpp"
#include "task.hpp"

namespace {

coro::Task<> hello() {
  fmt::print("hello\n");
  co_return;
}

coro::Task<> main_task() {
  {
    auto coroutine = hello();  // Python: <coroutine object hello at 0x...>
    fmt::print("hello() made a coroutine object and printed nothing\n");
    std::fflush(stdout);  // before the warning, which goes to stderr
  }                       // destroyed without an await: it says so, on stderr
  fmt::print("now awaited:\n");
  co_await hello();
}

}  // namespace

int main() {
  return course::run_demo([] {
    coro::EventLoop loop;
    loop.run(main_task());
  });
}
