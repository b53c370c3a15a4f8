// Exercise 8.2: a TCP echo server on one loop, with callbacks.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <unordered_map>

#include <uv.h>

#include "handle.hpp"
#include "loop.hpp"

namespace uvx {

// Exercise 8.2 — every byte a client sends comes back to it, on one loop's thread, for as many
// clients at once as the loop has sockets. libuv calls back: on_connection when a client
// connects, on_alloc for a buffer to read into, on_read with what arrived (or the end, or an
// error), on_write when a write has been handed to the kernel. A write's buffer must live until
// its callback. A client that sends but never reads must not make the server buffer without
// bound: past `max_buffered_bytes` of its echo waiting to be written, the server stops reading
// from it (uv_read_stop) until the writes drain to half that — back-pressure — while the other
// clients go on.
class EchoServer {
 public:
  struct Options {
    std::size_t max_buffered_bytes = 256 * 1024;
  };

  explicit EchoServer(Loop& loop) : EchoServer(loop, Options{}) {}
  EchoServer(Loop& loop, Options options);
  // Closes the listener and every connection (writes in flight are cancelled); their memory
  // goes in their close callbacks, so run the loop afterwards until they have run.
  ~EchoServer();
  EchoServer(const EchoServer&) = delete;
  EchoServer& operator=(const EchoServer&) = delete;

  // Listens on 127.0.0.1 on a port the kernel chooses (port 0), and gives that port.
  int listen();

  // Exercise 8.3 — a clean shutdown: stops accepting (the listener is closed), stops reading
  // from every client, lets the writes in flight finish, then closes each connection after its
  // last write (uv_shutdown sends the end of file once the writes queued before it are done).
  // Returns at once; once the connections are closed, the server has nothing open and its loop
  // can end. Calling it again does nothing.
  void shutdown();

  // What the server has done so far (read on the loop's thread).
  struct Stats {
    std::size_t accepted = 0;        // connections accepted
    std::size_t open = 0;            // connections open now
    std::size_t bytes_received = 0;  // bytes read from clients
    std::size_t bytes_echoed = 0;    // bytes whose echo was written
    std::size_t most_buffered = 0;   // the most bytes one connection ever had waiting
    std::size_t read_pauses = 0;     // times reading stopped for back-pressure
  };
  [[nodiscard]] const Stats& stats() const noexcept { return stats_; }

 private:
  struct Connection;
  struct Write;

  static void on_connection(uv_stream_t* listener, int status);
  static void on_alloc(uv_handle_t* client, std::size_t suggested, uv_buf_t* buffer);
  static void on_read(uv_stream_t* client, ssize_t nread, const uv_buf_t* buffer);
  static void on_write(uv_write_t* request, int status);
  static void on_shutdown(uv_shutdown_t* request, int status);

  void accept_one();
  void echo(Connection& connection, std::unique_ptr<char[]> bytes, std::size_t size);
  void drop(Connection& connection);
  void finish(Connection& connection);

  Loop& loop_;
  Options options_;
  Handle<uv_tcp_t> listener_;
  // Every open connection, by its handle. A connection leaves when it is dropped; a shared_ptr
  // keeps it alive until its close callback.
  std::unordered_map<const uv_tcp_t*, std::unique_ptr<Connection>> connections_;
  Stats stats_;
  bool shutting_down_ = false;
};

}  // namespace uvx
