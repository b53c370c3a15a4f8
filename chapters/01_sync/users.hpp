// Exercise 1.3: blocking calls add up.
#pragma once

#include <functional>
#include <span>
#include <string>
#include <vector>

#include "clock.hpp"

namespace synchronous {

struct UserRequest {
  int id;
  Clock::duration delay;  // how long the (pretend) server takes to answer
};

struct User {
  int id;
  std::string name;  // "user <id>"
  friend bool operator==(const User&, const User&) = default;
};

// The notebooks' blocking call: it sleeps for the request's delay — the way a call to a slow
// server blocks its caller until the answer arrives — then returns the user. (Given.)
User fetch_user(const UserRequest& request);

// Any blocking call that turns a request into a user; the tests pass their own.
using FetchUser = std::function<User(const UserRequest&)>;

// Exercise 1.3 — fetch_all(requests, fetch): fetches every user with `fetch`, one request at a
// time in the order given, and returns the users in that order together with how long it
// all took. Each call to fetch is made exactly once.
Timed<std::vector<User>> fetch_all(std::span<const UserRequest> requests,
                                   const FetchUser& fetch = fetch_user);

}  // namespace synchronous
