// Exercise 5.4: errors in callbacks — the pyramid of nested callbacks, then promises.
#include <exception>
#include <stdexcept>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <course/exception_message.hpp>
#include <course/loop_clock.hpp>
#include <course/testing.hpp>

#include "checkout.hpp"
#include "loop_testing.hpp"
#include "promise.hpp"
#include "shop.hpp"

namespace {

using namespace std::chrono_literals;
using callbacks::Promise;
using callbacks::Scheduler;
using callbacks::Shop;
using course::exception_message;
using loop_testing::at;
using loop_testing::run_on;
using Strings = std::vector<std::string>;

// A loop on a ManualClock and a shop that answers each call 10 ms later: ada (7) has three
// things in her cart, bob (8) none.
struct ShopFixture : ::testing::Test {
  course::ManualClock clock;
  Scheduler loop{clock};
  Shop shop{loop, 10ms};
  Strings outcomes;  // "1449@30ms" or "error: ...@10ms", one per call of done

  ShopFixture() {
    shop.add_user("ada", 7);
    shop.add_user("bob", 8);
    for (const int price : {250, 199, 1000}) shop.add_to_cart(7, price);
  }
  callbacks::Done<int> done() {
    return [this](std::exception_ptr error, int total) {
      outcomes.push_back((error ? "error: " + exception_message(error) : std::to_string(total)) +
                         "@" + at(clock.now()));
    };
  }
  void record_outcome_of(Promise<int> promise) {
    promise
        .then([this](int total) {
          outcomes.push_back(std::to_string(total) + "@" + at(clock.now()));
        })
        .catch_error([this](std::exception_ptr error) {
          outcomes.push_back("error: " + exception_message(error) + "@" + at(clock.now()));
        });
  }
};

using CheckoutNested = ShopFixture;

TEST_F(CheckoutNested, AddsUpTheCartInThreeSteps) {
  callbacks::checkout_nested(shop, "ada", done());
  EXPECT_EQ(shop.calls(), (Strings{"find_user(ada)"}))
      << "only the first step can start at once: each needs the answer of the one before";
  run_on(loop, clock);
  EXPECT_EQ(shop.calls(), (Strings{"find_user(ada)", "load_cart(7)", "checkout(3 items)"}));
  EXPECT_EQ(outcomes, (Strings{"1449@30ms"}))
      << "done(nullptr, total) once, after three steps of 10 ms one after another";
}

TEST_F(CheckoutNested, AFailedStepStopsTheRest) {
  callbacks::checkout_nested(shop, "eve", done());
  run_on(loop, clock);
  EXPECT_EQ(outcomes, (Strings{"error: no user named 'eve'@10ms"}))
      << "the first step's error goes to done, once, at once";
  EXPECT_EQ(shop.calls(), (Strings{"find_user(eve)"}))
      << "after a failed step no further step may start: there is no user to load a cart for";
}

TEST_F(CheckoutNested, ErrorsOfLaterStepsReachTheCaller) {
  callbacks::checkout_nested(shop, "bob", done());
  run_on(loop, clock);
  EXPECT_EQ(outcomes, (Strings{"error: the cart is empty@30ms"})) << "the third step's error";
  outcomes.clear();
  shop.break_cart_service();
  callbacks::checkout_nested(shop, "ada", done());
  run_on(loop, clock);
  EXPECT_EQ(outcomes, (Strings{"error: the cart service is down@50ms"})) << "the second step's";
  EXPECT_EQ(shop.calls().back(), "load_cart(7)") << "and checkout was not called after it";
}

using PromiseTest = ShopFixture;

TEST_F(PromiseTest, ThenGetsTheValueFromTheLoop) {
  Promise<int> early(loop);
  Promise<int> late(loop);
  Strings seen;
  early.resolve(5);
  early.then([&](int value) { seen.push_back("early " + std::to_string(value)); });
  late.then([&](int value) { seen.push_back("late " + std::to_string(value)); });
  EXPECT_TRUE(seen.empty())
      << "a step runs later, from the loop — even when the value is already there";
  loop.call_later(10ms, [&] { late.resolve(6); });
  run_on(loop, clock);
  EXPECT_EQ(seen, (Strings{"early 5", "late 6"}))
      << "a step attached before the value came runs when it comes; one attached after, soon";
}

TEST_F(PromiseTest, StepsNeverRunInsideResolve) {
  Promise<int> promise(loop);
  Strings order;
  promise.then([&](int) { order.push_back("step"); });
  promise.resolve(1);
  order.push_back("after resolve");
  promise.catch_error([&](std::exception_ptr) { order.push_back("handler"); });
  run_on(loop, clock);
  EXPECT_EQ(order, (Strings{"after resolve", "step"}))
      << "the step runs from the loop, after the code that resolved; a handler of a promise "
         "that did not fail is never called";
  Promise<int> failed(loop);
  failed.reject(std::make_exception_ptr(std::runtime_error("no")));
  failed.catch_error([&](std::exception_ptr) { order.push_back("handler"); });
  order.push_back("after catch_error");
  run_on(loop, clock);
  EXPECT_EQ(order, (Strings{"after resolve", "step", "after catch_error", "handler"}));
}

TEST_F(PromiseTest, ErrorsSkipToTheFirstHandler) {
  Promise<int> promise(loop);
  Strings seen;
  promise.then([&](int) { seen.push_back("step 1"); })
      .then([&](int) { seen.push_back("step 2"); })
      .catch_error([&](std::exception_ptr error) {
        seen.push_back("handler: " + exception_message(error));
      });
  promise.reject(std::make_exception_ptr(std::runtime_error("lost connection")));
  run_on(loop, clock);
  EXPECT_EQ(seen, (Strings{"handler: lost connection"}))
      << "an error skips every step and reaches the handler at the end, once";
}

TEST_F(PromiseTest, AStepThatThrowsFailsTheRestOfTheChain) {
  Promise<int> promise(loop);
  Strings seen;
  promise
      .then([&](int value) {
        seen.push_back("step 1 got " + std::to_string(value));
        throw std::invalid_argument("step 1 failed");
      })
      .then([&](int) { seen.push_back("step 2"); })
      .catch_error([&](std::exception_ptr error) {
        seen.push_back("handler: " + exception_message(error));
      });
  promise.resolve(3);
  EXPECT_NO_THROW(run_on(loop, clock)) << "a step's exception belongs to the chain, not the loop";
  EXPECT_EQ(seen, (Strings{"step 1 got 3", "handler: step 1 failed"}));
}

TEST_F(PromiseTest, AStepMayReturnTheNextPromise) {
  Promise<int> promise(loop);
  Strings seen;
  promise
      .then([&](int value) {
        Promise<std::string> spelled(loop);
        loop.call_later(10ms, [spelled, value]() mutable {
          spelled.resolve(std::string(static_cast<std::size_t>(value), '*'));
        });
        return spelled;
      })
      .then([&](const std::string& stars) { seen.push_back(stars + "@" + at(clock.now())); });
  promise
      .then([&](int) {
        Promise<int> failing(loop);
        loop.call_later(20ms, [failing]() mutable {
          failing.reject(std::make_exception_ptr(std::runtime_error("inner failed")));
        });
        return failing;
      })
      .catch_error([&](std::exception_ptr error) {
        seen.push_back(exception_message(error) + "@" + at(clock.now()));
      });
  promise.resolve(3);
  run_on(loop, clock);
  EXPECT_EQ(seen, (Strings{"***@10ms", "inner failed@20ms"}))
      << "then() of a step that returns a promise settles when that promise does, as it does";
}

TEST_F(PromiseTest, AVoidStepPassesTheValueOn) {
  Promise<int> promise(loop);
  Strings seen;
  promise.then([&](int value) { seen.push_back("a " + std::to_string(value)); })
      .then([&](int value) { seen.push_back("b " + std::to_string(value)); });
  promise.resolve(9);
  run_on(loop, clock);
  EXPECT_EQ(seen, (Strings{"a 9", "b 9"}));
}

TEST_F(PromiseTest, SettlesOnlyOnce) {
  Promise<int> promise(loop);
  Promise<int> copy = promise;
  promise.resolve(1);
  EXPECT_TRUE(copy.settled()) << "copies share one promise";
  EXPECT_THROW(copy.resolve(2), std::logic_error);
  EXPECT_THROW(promise.reject(std::make_exception_ptr(std::runtime_error("late"))),
               std::logic_error);
  Strings seen;
  promise.then([&](int value) { seen.push_back(std::to_string(value)); });
  run_on(loop, clock);
  EXPECT_EQ(seen, (Strings{"1"})) << "the first value stays";
}

using CheckoutPromised = ShopFixture;

TEST_F(CheckoutPromised, AddsUpTheCartInThreeSteps) {
  record_outcome_of(callbacks::checkout_promised(shop, "ada"));
  run_on(loop, clock);
  EXPECT_EQ(shop.calls(), (Strings{"find_user(ada)", "load_cart(7)", "checkout(3 items)"}));
  EXPECT_EQ(outcomes, (Strings{"1449@30ms"}));
}

TEST_F(CheckoutPromised, AnErrorSkipsTheRemainingSteps) {
  record_outcome_of(callbacks::checkout_promised(shop, "eve"));
  run_on(loop, clock);
  EXPECT_EQ(outcomes, (Strings{"error: no user named 'eve'@10ms"}));
  EXPECT_EQ(shop.calls(), (Strings{"find_user(eve)"}));
  outcomes.clear();
  shop.break_cart_service();
  record_outcome_of(callbacks::checkout_promised(shop, "ada"));
  run_on(loop, clock);
  EXPECT_EQ(outcomes, (Strings{"error: the cart service is down@30ms"}));
  EXPECT_EQ(shop.calls().back(), "load_cart(7)");
}

}  // namespace
