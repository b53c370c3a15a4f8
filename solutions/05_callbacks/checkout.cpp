#include "checkout.hpp"

#include <utility>
#include <vector>

namespace callbacks {

void checkout_nested(Shop& shop, const std::string& name, Done<int> done) {
  // Every level checks its own error and passes it on by hand: forget one check and a failed
  // step calls the next with a meaningless value. That is what callback hell is made of.
  shop.find_user(name, [&shop, done](std::exception_ptr error, int user) {
    if (error) return done(error, 0);
    shop.load_cart(user, [&shop, done](std::exception_ptr error, const std::vector<int>& cart) {
      if (error) return done(error, 0);
      shop.checkout(cart, [done](std::exception_ptr error, int total) { done(error, total); });
    });
  });
}

Promise<int> checkout_promised(Shop& shop, const std::string& name) {
  // The same three steps, one after another on the page; an error in any of them skips the
  // rest and settles the returned promise with it — no check is written here at all.
  Scheduler& loop = shop.loop();
  return promised<int>(loop, [&](Done<int> done) { shop.find_user(name, std::move(done)); })
      .then([&shop, &loop](int user) {
        return promised<std::vector<int>>(
            loop, [&](Done<std::vector<int>> done) { shop.load_cart(user, std::move(done)); });
      })
      .then([&shop, &loop](const std::vector<int>& cart) {
        return promised<int>(loop, [&](Done<int> done) { shop.checkout(cart, std::move(done)); });
      });
}

}  // namespace callbacks
