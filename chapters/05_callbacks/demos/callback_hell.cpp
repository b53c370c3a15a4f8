// Three dependent steps, two ways: nested callbacks (each checks its error and starts the next)
// and a chain of promises (one handler at the end). Same answers, same timing.
//
//   $ build/demos/05_callbacks/callback_hell
#include <chrono>
#include <exception>
#include <string>

#include <fmt/format.h>

#include <course/demo.hpp>
#include <course/exception_message.hpp>

#include "checkout.hpp"

using namespace std::chrono_literals;
using course::exception_message;

int main() {
  return course::run_demo([] {
    callbacks::Scheduler loop;
    callbacks::Shop shop(loop, 20ms);
    shop.add_user("ada", 7);
    for (const int price : {250, 199, 1000}) shop.add_to_cart(7, price);

    for (const std::string name : {"ada", "eve"}) {
      callbacks::checkout_nested(shop, name, [name](std::exception_ptr error, int total) {
        if (error) {
          fmt::print("nested   {}: failed: {}\n", name, exception_message(error));
        } else {
          fmt::print("nested   {}: pays {}.{:02} €\n", name, total / 100, total % 100);
        }
      });
      callbacks::checkout_promised(shop, name)
          .then([name](int total) {
            fmt::print("promised {}: pays {}.{:02} €\n", name, total / 100, total % 100);
          })
          .catch_error([name](std::exception_ptr error) {
            fmt::print("promised {}: failed: {}\n", name, exception_message(error));
          });
    }
    loop.run();
    fmt::print("the shop was asked: {}\n", fmt::join(shop.calls(), ", "));
  });
}
