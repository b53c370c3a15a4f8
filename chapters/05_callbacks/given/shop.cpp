#include "shop.hpp"

#include <numeric>
#include <stdexcept>
#include <utility>

namespace callbacks {

template <class T>
void Shop::answer(Done<T> done, std::exception_ptr error, T value) {
  loop_.call_later(
      delay_, [done = std::move(done), error = std::move(error),
               value = std::move(value)]() mutable { done(std::move(error), std::move(value)); });
}

void Shop::find_user(const std::string& name, Done<int> done) {
  calls_.push_back("find_user(" + name + ")");
  const auto found = users_.find(name);
  if (found == users_.end()) {
    answer<int>(std::move(done),
                std::make_exception_ptr(std::invalid_argument("no user named '" + name + "'")), 0);
  } else {
    answer<int>(std::move(done), nullptr, found->second);
  }
}

void Shop::load_cart(int user, Done<std::vector<int>> done) {
  calls_.push_back("load_cart(" + std::to_string(user) + ")");
  if (cart_service_down_) {
    answer<std::vector<int>>(
        std::move(done), std::make_exception_ptr(std::runtime_error("the cart service is down")),
        {});
    return;
  }
  const auto found = carts_.find(user);
  answer<std::vector<int>>(std::move(done), nullptr,
                           found == carts_.end() ? std::vector<int>{} : found->second);
}

void Shop::checkout(const std::vector<int>& cart, Done<int> done) {
  calls_.push_back("checkout(" + std::to_string(cart.size()) + " items)");
  if (cart.empty()) {
    answer<int>(std::move(done),
                std::make_exception_ptr(std::invalid_argument("the cart is empty")), 0);
  } else {
    answer<int>(std::move(done), nullptr, std::accumulate(cart.begin(), cart.end(), 0));
  }
}

}  // namespace callbacks
