#include "checkout.hpp"

#include <course/not_implemented.hpp>

namespace callbacks {

void checkout_nested([[maybe_unused]] Shop& shop, [[maybe_unused]] const std::string& name,
                     [[maybe_unused]] Done<int> done) {
  // TODO(5.4): find_user → load_cart → checkout, each started from the callback of the one
  // before; every callback checks its error first.
  throw course::NotImplemented("5.4", "checkout_nested");
}

Promise<int> checkout_promised([[maybe_unused]] Shop& shop,
                               [[maybe_unused]] const std::string& name) {
  // TODO(5.4): promised(...) for the first step, then(...) for each of the others.
  throw course::NotImplemented("5.4", "checkout_promised");
}

}  // namespace callbacks
