// Blocking loopback clients for chapter 8's echo servers, and a way to run them beside a server
// whose loop runs on the test's thread.
#pragma once

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <exception>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fmt/format.h>
#include <uv.h>

#include <course/unique_fd.hpp>

#include "loop.hpp"
#include "uv_testing.hpp"

namespace echo_clients {

// Every client socket the test has open, so that a test whose server cannot serve (a skeleton,
// a server that stopped early) can cut them all at once: shutdown(2) makes a client blocked in
// recv see the end of file and a send fail at once, instead of each waiting for its timeout.
class OpenClients {
 public:
  static OpenClients& of_this_test() {
    static OpenClients clients;
    return clients;
  }
  // A test's clients begin: connecting works again.
  void begin() {
    const std::scoped_lock lock(mutex_);
    cut_ = false;
  }
  // Shuts every open client down; connecting from now on fails at once.
  void cut() {
    const std::scoped_lock lock(mutex_);
    cut_ = true;
    for (const int fd : open_) ::shutdown(fd, SHUT_RDWR);
  }
  // False once cut: the caller must not connect.
  bool add(int fd) {
    const std::scoped_lock lock(mutex_);
    if (cut_) return false;
    open_.insert(fd);
    return true;
  }
  void remove(int fd) {
    const std::scoped_lock lock(mutex_);
    open_.erase(fd);
  }

 private:
  std::mutex mutex_;
  std::set<int> open_;
  bool cut_ = false;
};

// A client's socket: closed when destroyed, and known to OpenClients while it is open.
class Client {
 public:
  explicit Client(course::UniqueFd socket) : socket_(std::move(socket)) {
    if (!OpenClients::of_this_test().add(socket_.get())) {
      throw std::runtime_error("the test stopped its clients: the server could not serve");
    }
  }
  Client(Client&& other) noexcept = default;
  Client& operator=(Client&&) = delete;
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;
  ~Client() {
    if (socket_.valid()) OpenClients::of_this_test().remove(socket_.get());
  }
  [[nodiscard]] int get() const noexcept { return socket_.get(); }

 private:
  course::UniqueFd socket_;
};

// A connected TCP socket to 127.0.0.1:port; reads give up after 5 s without a byte (a server that
// never answers fails the test instead of hanging it).
inline Client connect_to(int port) {
  course::UniqueFd socket(::socket(AF_INET, SOCK_STREAM, 0));
  if (socket.get() < 0) throw std::runtime_error(fmt::format("socket: {}", std::strerror(errno)));
  timeval five_seconds{5, 0};
  ::setsockopt(socket.get(), SOL_SOCKET, SO_RCVTIMEO, &five_seconds, sizeof five_seconds);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(socket.get(), reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
    throw std::runtime_error(fmt::format("connect to port {}: {}", port, std::strerror(errno)));
  }
  return Client(std::move(socket));
}

inline void send_all(const Client& socket, std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t sent = ::send(socket.get(), bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (sent < 0) throw std::runtime_error(fmt::format("send: {}", std::strerror(errno)));
    bytes.remove_prefix(static_cast<std::size_t>(sent));
  }
}

// Exactly `size` bytes, or what came before the server closed, or a timeout's error.
inline std::string receive(const Client& socket, std::size_t size) {
  std::string received(size, '\0');
  std::size_t got = 0;
  while (got < size) {
    const ssize_t n = ::recv(socket.get(), received.data() + got, size - got, 0);
    if (n == 0) break;
    if (n < 0) {
      throw std::runtime_error(
          fmt::format("recv after {} of {} bytes: {}", got, size,
                      errno == EAGAIN ? "no byte for 5 s" : std::strerror(errno)));
    }
    got += static_cast<std::size_t>(n);
  }
  received.resize(got);
  return received;
}

// Enough file descriptors for `sockets` sockets at once (and the server's ends of them).
inline void allow_sockets(std::size_t sockets) {
  rlimit limit{};
  ::getrlimit(RLIMIT_NOFILE, &limit);
  const rlim_t wanted = 2 * sockets + 64;
  if (limit.rlim_cur < wanted) {
    limit.rlim_cur = std::min(wanted, limit.rlim_max);
    ::setrlimit(RLIMIT_NOFILE, &limit);
  }
}

// Runs `loop` on this thread while `clients(port)` runs on a thread of its own. When the clients
// are done — or when the loop stops early (uv_stop: a server that cannot serve yet) — `finish()`
// runs on the loop's thread (it destroys the server, which closes its sockets). If the loop
// stopped early, the clients are cut too (OpenClients), so that they fail at once rather than
// wait for their timeouts. At the end the loop settles: the close callbacks run. Rethrows what
// the clients threw.
template <class Clients, class Finish>
void beside_the_loop(uvx::Loop& loop, int port, Clients clients, Finish finish) {
  struct Done {
    uv_async_t async{};
    Finish finish;
    bool finished = false;
    void once() {
      if (finished) return;
      finished = true;
      finish();
    }
  } done{{}, std::move(finish)};
  done.async.data = &done;
  uv_async_init(loop.get(), &done.async, [](uv_async_t* async) {
    static_cast<Done*>(async->data)->once();
    uv_stop(async->loop);
  });
  OpenClients::of_this_test().begin();
  std::exception_ptr failed;
  {
    std::jthread client_thread([&] {
      try {
        clients(port);
      } catch (...) {
        failed = std::current_exception();
      }
      uv_async_send(&done.async);  // the async stays open until this thread is joined
    });
    uv_run(loop.get(), UV_RUN_DEFAULT);  // until the async's callback, or the server's uv_stop
    if (!done.finished) {
      done.once();
      OpenClients::of_this_test().cut();
      uv_run(loop.get(), UV_RUN_DEFAULT);  // until the clients' thread, failing now, is done
    }
  }
  uv_close(reinterpret_cast<uv_handle_t*>(&done.async), nullptr);
  uv_testing::settle(loop);
  if (failed) std::rethrow_exception(failed);
}

}  // namespace echo_clients
