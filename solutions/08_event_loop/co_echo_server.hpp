// Exercise 8.6: the echo server again — a coroutine per connection.
#pragma once

#include <cstddef>
#include <optional>

#include "loop.hpp"
#include "task.hpp"
#include "task_group.hpp"
#include "tcp_stream.hpp"

namespace uvx {

// Exercise 8.6 — 8.2's server, written with 8.5's awaitables: one task accepts, and each
// connection is a task of its own that reads like blocking code — read, write the echo, read
// again — while the one loop thread serves them all. Reading stops while an echo is written, so
// a client that never reads holds at most one read's bytes (no back-pressure rule is needed).
// A client's error ends that client only. Destroying the server cancels every task: their
// streams close, and their memory goes in the close callbacks (run the loop afterwards).
class CoEchoServer {
 public:
  struct Options {
    // The most bytes read from one client before their echo is written: the size of one read.
    std::size_t max_buffered_bytes = 64 * 1024;
  };

  explicit CoEchoServer(Loop& loop) : CoEchoServer(loop, Options{}) {}
  CoEchoServer(Loop& loop, Options options);
  CoEchoServer(const CoEchoServer&) = delete;  // its tasks point here
  CoEchoServer& operator=(const CoEchoServer&) = delete;
  ~CoEchoServer() = default;  // tasks_ goes first (declared last): every task is cancelled

  // Listens on 127.0.0.1 on a port the kernel chooses, starts accepting, and gives the port.
  int listen();

  struct Stats {
    std::size_t accepted = 0;        // connections accepted
    std::size_t open = 0;            // connections open now
    std::size_t bytes_received = 0;  // bytes read from clients
    std::size_t bytes_echoed = 0;    // bytes whose echo was written
    std::size_t most_buffered = 0;   // the most bytes one connection ever had waiting
  };
  [[nodiscard]] const Stats& stats() const noexcept { return stats_; }

 private:
  Task<void> accept_clients();
  Task<void> serve(TcpStream client);

  Loop& loop_;
  Options options_;
  Stats stats_;
  std::optional<Listener> listener_;
  TaskGroup tasks_;  // the acceptor, and a task per connection
};

}  // namespace uvx
