// Exercise 8.5: a TCP connection whose reads, writes and connect are awaited — and a listener
// whose connections are.
#pragma once

#include <coroutine>
#include <cstddef>
#include <memory>
#include <string>

#include <uv.h>

#include "handle.hpp"
#include "loop.hpp"

namespace uvx {

// Exercise 8.5 — one TCP connection. Each operation is an awaiter: it starts the libuv
// operation in await_suspend, and libuv's callback resumes the coroutine. Every awaiter lives in
// the waiting coroutine's frame; if the task is cancelled, the awaiter is destroyed while libuv
// may still call back, so its destructor lets go: a read is stopped; a write or a connect that
// libuv still holds goes on, its bytes and request kept alive by libuv's side, resuming nobody.
// A stream is not moved while one of its operations is pending.
class TcpStream {
 public:
  explicit TcpStream(Loop& loop);  // a socket, not connected yet (see connect and Listener)

  class Read;
  class Write;
  class Connect;

  // `co_await stream.read()`: the bytes that arrived — at most `at_most`, at least one — or ""
  // at the end of the stream. Throws UvError when reading fails.
  [[nodiscard]] Read read(std::size_t at_most = 64 * 1024);
  // `co_await stream.write(bytes)`: once libuv has written them all. Throws UvError on failure.
  [[nodiscard]] Write write(std::string bytes);
  // `co_await TcpStream::connect(loop, port)`: a stream connected to 127.0.0.1:port.
  [[nodiscard]] static Connect connect(Loop& loop, int port);

  [[nodiscard]] uv_stream_t* stream() const noexcept {
    return reinterpret_cast<uv_stream_t*>(tcp_.get());
  }
  [[nodiscard]] uv_tcp_t* tcp() const noexcept { return tcp_.get(); }

 private:
  Handle<uv_tcp_t> tcp_;
};

class TcpStream::Read {
 public:
  Read(TcpStream& stream, std::size_t at_most);
  Read(const Read&) = delete;  // the stream's data points here while the read is pending
  Read& operator=(const Read&) = delete;
  ~Read();  // a read still pending is stopped: its callback never comes

  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<> waiting);
  std::string await_resume();

 private:
  static void on_alloc(uv_handle_t* handle, std::size_t suggested, uv_buf_t* buffer);
  static void on_read(uv_stream_t* stream, ssize_t status, const uv_buf_t* buffer);

  TcpStream& stream_;
  std::size_t at_most_;
  // Allocated in on_alloc: libuv asks for a buffer only when bytes have arrived, so a read that
  // waits holds none (a thousand waiting reads of 64 KiB would be 64 MiB). Not zero-filled.
  std::unique_ptr<char[]> buffer_;
  bool pending_ = false;
  ssize_t status_ = 0;
  std::coroutine_handle<> waiting_;
};

class TcpStream::Write {
 public:
  Write(TcpStream& stream, std::string bytes);
  Write(const Write&) = delete;  // the request points here while the write is pending
  Write& operator=(const Write&) = delete;
  ~Write();  // a write still pending goes on (libuv has its bytes) and resumes nobody

  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<> waiting);
  void await_resume() const;

 private:
  struct Request;  // the uv_write_t and its bytes: alive until libuv's callback, whatever happens
  static void on_write(uv_write_t* request, int status);

  TcpStream& stream_;
  std::string bytes_;             // until the write starts; then the request holds them
  Request* in_flight_ = nullptr;  // libuv owns it until on_write
  int status_ = 0;
  std::coroutine_handle<> waiting_;
};

class TcpStream::Connect {
 public:
  Connect(Loop& loop, int port);
  Connect(const Connect&) = delete;
  Connect& operator=(const Connect&) = delete;
  ~Connect();  // a connect still pending: its socket closes (libuv calls back with UV_ECANCELED)

  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<> waiting);
  TcpStream await_resume();

 private:
  struct Request;
  static void on_connect(uv_connect_t* request, int status);

  TcpStream stream_;
  int port_;
  Request* in_flight_ = nullptr;
  int status_ = 0;
  std::coroutine_handle<> waiting_;
};

// Exercise 8.5 — listens on 127.0.0.1, on a port the system picks. Connections that arrive while
// nobody awaits accept() wait in the kernel's backlog; `co_await listener.accept()` takes one,
// or waits for the next.
class Listener {
 public:
  explicit Listener(Loop& loop);
  Listener(const Listener&) = delete;  // the handle's data points here
  Listener& operator=(const Listener&) = delete;

  [[nodiscard]] int port() const noexcept { return port_; }

  class Accept;
  [[nodiscard]] Accept accept();
  // Stops listening: connecting is refused from now on. A pending accept is not resumed.
  void close() { tcp_.close(); }

 private:
  static void on_connection(uv_stream_t* listener, int status);

  Loop& loop_;
  Handle<uv_tcp_t> tcp_;
  int port_ = 0;
  std::size_t arrived_ = 0;      // connections that arrived and are not accepted yet
  int error_ = 0;                // a failed connection, for the next accept to throw
  Accept* accepting_ = nullptr;  // who waits, if anybody
};

class Listener::Accept {
 public:
  explicit Accept(Listener& listener) : listener_(listener) {}
  Accept(const Accept&) = delete;
  Accept& operator=(const Accept&) = delete;
  ~Accept();  // nobody waits any more: the next connection waits for the next accept

  bool await_ready() const noexcept;
  void await_suspend(std::coroutine_handle<> waiting);
  TcpStream await_resume();

 private:
  friend class Listener;
  Listener& listener_;
  std::coroutine_handle<> waiting_;
};

}  // namespace uvx
