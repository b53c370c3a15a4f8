#include "released_gil.hpp"

#include <chrono>
#include <thread>

namespace gil {

ReleasedGil::ReleasedGil(toy::Gil& held) : gil_(held) {
  gil_.drop();
}

// A destructor runs when an exception leaves the scope too: the thread always gets the GIL back
// before it touches the interpreter's objects again.
ReleasedGil::~ReleasedGil() {
  gil_.take();
}

toy::Builtin sleep_releasing_the_gil() {
  return {"sleep", [](toy::Gil& held, long milliseconds) {
            // Nothing below touches the interpreter's objects: other threads may run it.
            const ReleasedGil released(held);
            std::this_thread::sleep_for(std::chrono::milliseconds(milliseconds));
            return 0L;
          }};
}

}  // namespace gil
