// Given: a pretend online shop on the other side of a network, for exercise 5.4.
//
// Every call returns at once and answers later — `delay` later, on the loop — through a
// completion callback that carries either an error or a value (Node.js's style):
//
//   shop.find_user("ada", [](std::exception_ptr error, int id) { ... });
//
// When `error` is set, the call failed and `value` means nothing.
#pragma once

#include <exception>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "scheduler.hpp"

namespace callbacks {

template <class T>
using Done = std::function<void(std::exception_ptr error, T value)>;

class Shop {
 public:
  Shop(Scheduler& loop, Duration delay) : loop_(loop), delay_(delay) {}

  [[nodiscard]] Scheduler& loop() const { return loop_; }

  // Setting the shop up (at once, no waiting).
  void add_user(const std::string& name, int id) { users_[name] = id; }
  void add_to_cart(int user, int price_in_cents) { carts_[user].push_back(price_in_cents); }
  void break_cart_service() { cart_service_down_ = true; }

  // The user's id; fails with std::invalid_argument("no user named '<name>'").
  void find_user(const std::string& name, Done<int> done);
  // The prices in the user's cart (empty when they have bought nothing); fails with
  // std::runtime_error("the cart service is down") after break_cart_service().
  void load_cart(int user, Done<std::vector<int>> done);
  // The total to pay, in cents; fails with std::invalid_argument("the cart is empty").
  void checkout(const std::vector<int>& cart, Done<int> done);

  // Every call made so far, e.g. {"find_user(ada)", "load_cart(7)"}.
  [[nodiscard]] const std::vector<std::string>& calls() const { return calls_; }

 private:
  template <class T>
  void answer(Done<T> done, std::exception_ptr error, T value);

  Scheduler& loop_;
  Duration delay_;
  std::map<std::string, int> users_;
  std::map<int, std::vector<int>> carts_;
  bool cart_service_down_ = false;
  std::vector<std::string> calls_;
};

}  // namespace callbacks
