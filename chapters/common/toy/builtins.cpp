#include "builtins.hpp"

#include <chrono>
#include <thread>

namespace toy {

Builtin sleep_holding_the_gil() {
  return {"sleep", [](Gil& /*gil*/, long milliseconds) {
            std::this_thread::sleep_for(std::chrono::milliseconds(milliseconds));
            return 0L;
          }};
}

}  // namespace toy
