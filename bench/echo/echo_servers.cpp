// Chapter 8's echo servers as a benchmark: requests per second and latency of the callback
// server (exercise 8.2) and the coroutine server (8.6), beside a plain libuv server written in
// C style as libuv's guide writes it — the same load, in one run, rounds interleaved.
//
//   $ build-solutions/bench/echo_servers [--clients N] [--size BYTES] [--seconds S] [--rounds K]
//   $ build-solutions/bench/echo_servers --quick      a fraction of a second: does it still run?
//
// Each server runs on a thread of its own, with a loop of its own. The load is one thread with
// epoll: N connections, each with one message in flight — send it, wait for all of its echo,
// send it again. A round gives each server S seconds; the best of K rounds counts.
#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <future>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fmt/format.h>
#include <uv.h>

#include <course/unique_fd.hpp>

#include "co_echo_server.hpp"
#include "echo_server.hpp"
#include "loop.hpp"

namespace {

using Clock = std::chrono::steady_clock;

// --- the baseline: libuv's guide's echo server, in C style ---------------------------------
// On purpose as C code is written against libuv: malloc'd handles and buffers, a write request
// that carries its buffer, frees in the callbacks. No back-pressure, as in the guide.
namespace c_style {

struct WriteRequest {
  uv_write_t request;
  uv_buf_t buffer;
};

void on_close(uv_handle_t* handle) {
  std::free(handle);
}  // NOLINT(cppcoreguidelines-no-malloc)

void on_alloc(uv_handle_t* /*handle*/, std::size_t suggested, uv_buf_t* buffer) {
  buffer->base = static_cast<char*>(std::malloc(suggested));  // NOLINT(cppcoreguidelines-no-malloc)
  buffer->len = suggested;
}

void on_write(uv_write_t* request, int /*status*/) {
  auto* write = reinterpret_cast<WriteRequest*>(request);
  std::free(write->buffer.base);  // NOLINT(cppcoreguidelines-no-malloc)
  std::free(write);               // NOLINT(cppcoreguidelines-no-malloc)
}

void on_read(uv_stream_t* client, ssize_t nread, const uv_buf_t* buffer) {
  if (nread > 0) {
    auto* write = static_cast<WriteRequest*>(std::malloc(sizeof(WriteRequest)));  // NOLINT
    write->buffer = uv_buf_init(buffer->base, static_cast<unsigned>(nread));
    uv_write(&write->request, client, &write->buffer, 1, on_write);
    return;
  }
  if (nread < 0) uv_close(reinterpret_cast<uv_handle_t*>(client), on_close);
  std::free(buffer->base);  // NOLINT(cppcoreguidelines-no-malloc)
}

void on_connection(uv_stream_t* listener, int status) {
  if (status < 0) return;
  auto* client = static_cast<uv_tcp_t*>(std::malloc(sizeof(uv_tcp_t)));  // NOLINT
  uv_tcp_init(listener->loop, client);
  if (uv_accept(listener, reinterpret_cast<uv_stream_t*>(client)) == 0) {
    uv_read_start(reinterpret_cast<uv_stream_t*>(client), on_alloc, on_read);
  } else {
    uv_close(reinterpret_cast<uv_handle_t*>(client), on_close);
  }
}

class Server {
 public:
  explicit Server(uvx::Loop& loop) {
    listener_.data = this;
    uv_tcp_init(loop.get(), &listener_);
  }
  int listen() {
    sockaddr_in address{};
    uv_ip4_addr("127.0.0.1", 0, &address);
    uv_tcp_bind(&listener_, reinterpret_cast<const sockaddr*>(&address), 0);
    uv_listen(reinterpret_cast<uv_stream_t*>(&listener_), 1024, on_connection);
    sockaddr_in bound{};
    int length = sizeof bound;
    uv_tcp_getsockname(&listener_, reinterpret_cast<sockaddr*>(&bound), &length);
    return ntohs(bound.sin_port);
  }
  // The clients have hung up by now: their handles close by themselves (nread < 0).
  void stop() { uv_close(reinterpret_cast<uv_handle_t*>(&listener_), nullptr); }

 private:
  uv_tcp_t listener_{};
};

}  // namespace c_style

// --- a server on a thread of its own ------------------------------------------------------

// Runs a server on its own loop and thread; stop() (from any thread) asks the loop's thread to
// stop the server, and waits until the loop has ended.
class ServerThread {
 public:
  // `start` runs on the loop's thread: makes the server, listens, gives the port and how to
  // stop the server.
  using Start = std::function<int(uvx::Loop&, std::function<void()>& stop)>;

  explicit ServerThread(Start start) {
    std::promise<int> port;
    auto listening = port.get_future();
    thread_ = std::jthread([this, start = std::move(start), port = std::move(port)]() mutable {
      uvx::Loop loop;
      std::function<void()> stop_server;
      uv_async_init(loop.get(), &stop_, [](uv_async_t* async) {
        auto* self = static_cast<ServerThread*>(async->data);
        self->stop_server_();
        uv_close(reinterpret_cast<uv_handle_t*>(async), nullptr);
      });
      stop_.data = this;
      port.set_value(start(loop, stop_server));
      stop_server_ = std::move(stop_server);
      loop.run();
    });
    port_ = listening.get();
  }
  ServerThread(const ServerThread&) = delete;
  ServerThread& operator=(const ServerThread&) = delete;
  ~ServerThread() {
    uv_async_send(&stop_);
    thread_.join();
  }
  [[nodiscard]] int port() const { return port_; }

 private:
  uv_async_t stop_{};
  std::function<void()> stop_server_;
  int port_ = 0;
  std::jthread thread_;
};

ServerThread::Start c_style_server() {
  return [](uvx::Loop& loop, std::function<void()>& stop) {
    auto server = std::make_shared<c_style::Server>(loop);
    stop = [server] { server->stop(); };
    return server->listen();
  };
}

ServerThread::Start callback_server() {
  return [](uvx::Loop& loop, std::function<void()>& stop) {
    auto server = std::make_shared<uvx::EchoServer>(loop);
    stop = [server]() mutable { server.reset(); };  // closes the listener and what is left
    return server->listen();
  };
}

ServerThread::Start coroutine_server() {
  return [](uvx::Loop& loop, std::function<void()>& stop) {
    auto server = std::make_shared<uvx::CoEchoServer>(loop);
    stop = [server]() mutable { server.reset(); };  // cancels its tasks
    return server->listen();
  };
}

// --- the load --------------------------------------------------------------------------------

struct Load {
  int clients = 100;
  std::size_t size = 1024;
  double seconds = 1.0;
};

struct Result {
  double requests_per_second = 0;
  double p50_us = 0;
  double p99_us = 0;
};

course::UniqueFd connect_to(int port) {
  course::UniqueFd socket(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (!socket.valid() ||
      ::connect(socket.get(), reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
    throw std::runtime_error(fmt::format("connect: {}", std::strerror(errno)));
  }
  const int one = 1;
  ::setsockopt(socket.get(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return socket;
}

// Drives `load.clients` connections to `port` for `load.seconds`, each with one message in
// flight at a time.
Result drive(int port, const Load& load) {
  struct Client {
    course::UniqueFd socket;
    std::size_t echoed = 0;  // bytes of the current message's echo so far
    Clock::time_point sent;
  };
  const course::UniqueFd epoll(::epoll_create1(EPOLL_CLOEXEC));
  std::vector<Client> clients(static_cast<std::size_t>(load.clients));
  const std::string message(load.size, 'x');
  std::vector<char> buffer(64 * 1024);
  std::vector<double> latencies_us;
  latencies_us.reserve(1 << 20);

  const auto send_message = [&](Client& client) {
    client.echoed = 0;
    client.sent = Clock::now();
    if (::send(client.socket.get(), message.data(), message.size(), MSG_NOSIGNAL) !=
        static_cast<ssize_t>(message.size())) {
      throw std::runtime_error("the load could not send a whole message at once");
    }
  };
  for (std::size_t i = 0; i < clients.size(); ++i) {
    clients[i].socket = connect_to(port);
    epoll_event event{};
    event.events = EPOLLIN;
    event.data.u64 = i;
    ::epoll_ctl(epoll.get(), EPOLL_CTL_ADD, clients[i].socket.get(), &event);
  }
  const auto start = Clock::now();
  const auto end = start + std::chrono::duration_cast<Clock::duration>(
                               std::chrono::duration<double>(load.seconds));
  for (auto& client : clients) send_message(client);
  std::vector<epoll_event> events(clients.size());
  std::size_t completed = 0;
  while (Clock::now() < end) {
    const int n = ::epoll_wait(epoll.get(), events.data(), static_cast<int>(events.size()), 100);
    for (int i = 0; i < n; ++i) {
      Client& client = clients[events[static_cast<std::size_t>(i)].data.u64];
      const auto got = ::recv(client.socket.get(), buffer.data(), buffer.size(), MSG_DONTWAIT);
      if (got <= 0) {
        if (got < 0 && errno == EAGAIN) continue;
        throw std::runtime_error("the server closed a connection during the run");
      }
      client.echoed += static_cast<std::size_t>(got);
      if (client.echoed < message.size()) continue;
      latencies_us.push_back(
          std::chrono::duration<double, std::micro>(Clock::now() - client.sent).count());
      ++completed;
      send_message(client);
    }
  }
  const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  Result result;
  result.requests_per_second = static_cast<double>(completed) / elapsed;
  if (!latencies_us.empty()) {
    std::sort(latencies_us.begin(), latencies_us.end());
    result.p50_us = latencies_us[latencies_us.size() / 2];
    result.p99_us = latencies_us[latencies_us.size() * 99 / 100];
  }
  return result;  // the clients hang up here: the servers close their side
}

struct Contender {
  std::string name;
  ServerThread::Start start;
  std::optional<Result> best;
};

}  // namespace

int main(int argc, char** argv) {
  Load load;
  int rounds = 3;
  for (int i = 1; i < argc; ++i) {
    const std::string_view argument = argv[i];
    const auto value = [&] {
      if (i + 1 >= argc) throw std::invalid_argument(fmt::format("{} needs a value", argument));
      return std::string(argv[++i]);
    };
    if (argument == "--quick") {
      load.seconds = 0.1;
      rounds = 1;
      load.clients = 10;
    } else if (argument == "--clients") {
      load.clients = std::stoi(value());
    } else if (argument == "--size") {
      load.size = std::stoul(value());
    } else if (argument == "--seconds") {
      load.seconds = std::stod(value());
    } else if (argument == "--rounds") {
      rounds = std::stoi(value());
    } else {
      fmt::print(stderr,
                 "usage: echo_servers [--quick] [--clients N] [--size BYTES] [--seconds S] "
                 "[--rounds K]\n");
      return 2;
    }
  }
  std::vector<Contender> contenders = {
      {"libuv in C style (the guide's)", c_style_server(), {}},
      {"callbacks (exercise 8.2)", callback_server(), {}},
      {"coroutines (exercise 8.6)", coroutine_server(), {}},
  };
  fmt::print(
      "{} clients on 127.0.0.1, {}-byte messages, one in flight per client; {} round(s) "
      "of {:.1f} s per server, interleaved; the best round counts\n\n",
      load.clients, load.size, rounds, load.seconds);
  for (int round = 0; round < rounds; ++round) {
    for (Contender& contender : contenders) {
      Result result;
      {
        const ServerThread server(contender.start);
        result = drive(server.port(), load);
      }
      if (!contender.best || result.requests_per_second > contender.best->requests_per_second) {
        contender.best = result;
      }
    }
  }
  fmt::print("{:<32} {:>14} {:>10} {:>10}\n", "server", "requests/s", "p50", "p99");
  for (const Contender& contender : contenders) {
    fmt::print("{:<32} {:>14.0f} {:>8.0f}µs {:>8.0f}µs\n", contender.name,
               contender.best->requests_per_second, contender.best->p50_us, contender.best->p99_us);
  }
  const double ratio =
      contenders[2].best->requests_per_second / contenders[1].best->requests_per_second;
  fmt::print("\ncoroutines / callbacks: {:.2f} (the aim: within 10%, ≥ 0.90)\n", ratio);
  return 0;
}
