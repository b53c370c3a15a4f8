// Internal to the support library: main() installs the escaped-child guard through this.
#pragma once

namespace course::detail {

// How a test program ends, and how a child that escaped into the test ends, when a child
// process returned into the test instead of ending with _exit (see escaped_children.cpp).
inline constexpr int kEscapedChildExitCode = 125;

// Watches every test from now on for a forked child that returns into it.
void install_escaped_child_guard();

}  // namespace course::detail
