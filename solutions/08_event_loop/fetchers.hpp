// Exercise 8.7: choosing the model — the same slow fetches with a thread per request, with a
// process pool, and on the event loop.
#pragma once

#include <string>
#include <vector>

namespace fetch {

// Exercise 8.7 — each function fetches `items` from the slow server on 127.0.0.1:`port`
// (given/slow_server.hpp) and gives their VALUEs in the order of `items`, whatever order the
// answers came in. When a fetch fails, each waits for the fetches it started, then throws a
// std::runtime_error that names the item (the first failed one in the order of `items`).

// A thread per item: each thread makes one blocking fetch (slow::fetch_blocking); all of them
// wait at the same time.
std::vector<std::string> with_threads(int port, const std::vector<int>& items);

// `processes` child processes (fork), each fetching its share of the items one after the other
// with blocking fetches, and sending the VALUEs back to the parent through a pipe. Every child
// is waited for, whatever happens. Throws std::invalid_argument when `processes` < 1.
std::vector<std::string> with_processes(int port, const std::vector<int>& items, int processes);

// One thread, one uv loop: a task per item (connect, write the request, read until the answer's
// newline) on 8.5's awaitables, all gathered; the loop ends closed.
std::vector<std::string> on_the_loop(int port, const std::vector<int>& items);

}  // namespace fetch
