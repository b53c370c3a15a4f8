// Internal to the support library: main() installs the deadline watchdog through this.
#pragma once

namespace course::detail {

// Arms a watchdog for every test that runs from now on (see course/deadline.hpp).
void install_deadline_watchdog();

}  // namespace course::detail
