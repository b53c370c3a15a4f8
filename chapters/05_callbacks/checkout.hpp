// Exercise 5.4: three dependent steps — as nested callbacks, then as a chain of promises.
#pragma once

#include <string>

#include "promise.hpp"
#include "shop.hpp"

namespace callbacks {

// Exercise 5.4 — the total of a user's cart, in three steps that each wait for the one before:
// find the user's id, load their cart, check it out. done(nullptr, total) on success;
// done(error, 0) with the first error, after which no further step is started. `done` is called
// exactly once. The shop must outlive the loop's run.

// Written as nested callbacks: each step's callback starts the next step (the "pyramid").
void checkout_nested(Shop& shop, const std::string& name, Done<int> done);

// The same, as a chain of promises: errors skip to the one catch_error at the end.
Promise<int> checkout_promised(Shop& shop, const std::string& name);

}  // namespace callbacks
