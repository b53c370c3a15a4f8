// Built-ins every toy runtime may use, given complete. (The one that releases the GIL while it
// sleeps is chapter 3's exercise 3.4.)
#pragma once

#include "interpreter.hpp"

namespace toy {

// sleep(ms), holding the GIL all the while: a C extension that forgot to let go of it. Every
// other thread waits for it, as if it were computing.
Builtin sleep_holding_the_gil();

}  // namespace toy
