// Blocking loopback clients for chapter 8's echo servers, and a way to run them beside a server
// whose loop runs on the test's thread.
#pragma once

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <exception>
#include <stdexcept>
#include <string>
#include <thread>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fmt/format.h>
#include <uv.h>

#include <course/unique_fd.hpp>

#include "loop.hpp"

namespace echo_clients {

// A connected TCP socket to 127.0.0.1:port; reads give up after 10 s (a server that never
// answers fails the test instead of hanging it).
inline course::UniqueFd connect_to(int port) {
  course::UniqueFd socket(::socket(AF_INET, SOCK_STREAM, 0));
  if (socket.get() < 0) throw std::runtime_error(fmt::format("socket: {}", std::strerror(errno)));
  timeval ten_seconds{10, 0};
  ::setsockopt(socket.get(), SOL_SOCKET, SO_RCVTIMEO, &ten_seconds, sizeof ten_seconds);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(socket.get(), reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
    throw std::runtime_error(fmt::format("connect to port {}: {}", port, std::strerror(errno)));
  }
  return socket;
}

inline void send_all(const course::UniqueFd& socket, std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t sent = ::send(socket.get(), bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (sent < 0) throw std::runtime_error(fmt::format("send: {}", std::strerror(errno)));
    bytes.remove_prefix(static_cast<std::size_t>(sent));
  }
}

// Exactly `size` bytes, or what came before the server closed, or a timeout's error.
inline std::string receive(const course::UniqueFd& socket, std::size_t size) {
  std::string received(size, '\0');
  std::size_t got = 0;
  while (got < size) {
    const ssize_t n = ::recv(socket.get(), received.data() + got, size - got, 0);
    if (n == 0) break;
    if (n < 0) {
      throw std::runtime_error(
          fmt::format("recv after {} of {} bytes: {}", got, size,
                      errno == EAGAIN ? "no echo for 10 s" : std::strerror(errno)));
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
// runs on the loop's thread (it destroys the server, which closes its sockets: clients still
// waiting then fail at once). At the end the loop runs until every close callback has run.
// Rethrows what the clients threw.
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
    loop.run();  // until the async's callback, or the server's own uv_stop, stops it
    if (!done.finished) {
      done.once();
      loop.run();  // the clients fail now, and their thread's async stops the loop
    }
  }
  uv_close(reinterpret_cast<uv_handle_t*>(&done.async), nullptr);
  loop.run();
  if (failed) std::rethrow_exception(failed);
}

}  // namespace echo_clients
