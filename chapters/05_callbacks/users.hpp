// Exercise 5.3: asynchronous completion — the notebooks' three users, on one thread.
#pragma once

#include <functional>
#include <span>
#include <string>
#include <vector>

#include "scheduler.hpp"

namespace callbacks {

struct UserRequest {
  int id;
  Duration delay;  // how long the (pretend) server takes to answer
};

struct User {
  int id;
  std::string name;  // "user <id>"
  friend bool operator==(const User&, const User&) = default;
};

using OnUser = std::function<void(User)>;
using OnUsers = std::function<void(std::vector<User>)>;

// Exercise 5.3 — fetch_user_async(loop, request, on_done): chapter 1's fetch_user without the
// blocking. It returns at once; `request.delay` later the loop calls on_done with the user
// (User{id, "user <id>"}). It never sleeps and never calls on_done before it has returned.
void fetch_user_async(Scheduler& loop, const UserRequest& request, OnUser on_done);

// Any asynchronous call of that shape; the tests pass their own.
using FetchUserAsync = std::function<void(Scheduler&, const UserRequest&, OnUser)>;

// Exercise 5.3 — fetch_all_async(loop, requests, on_done, fetch): starts every fetch at once,
// each exactly once, and when the last has answered calls on_done with the users in the order of
// the requests (use when_all). Three users of one delay each take one delay, not three.
void fetch_all_async(Scheduler& loop, std::span<const UserRequest> requests, OnUsers on_done,
                     const FetchUserAsync& fetch = fetch_user_async);

}  // namespace callbacks
