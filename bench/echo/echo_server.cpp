// One echo server in a process of its own, for bench/echo's load client (load_client.cpp) and
// for tools/bench, which compares it with Python's (echo_server.py) under the same load.
//
//   $ build-solutions/bench/echo_server coroutine|callback|c_style|threads
//   listening 41733
//
//   coroutine  chapter 8's coroutine server (exercise 8.6, solutions/08_event_loop)
//   callback   chapter 8's callback server (exercise 8.2)
//   c_style    libuv's guide's server, written as C is written against libuv: the baseline
//   threads    no event loop: a thread per connection, blocking reads and writes
//
// It listens on 127.0.0.1, on a port the kernel picks, and says which as its first line on
// stdout. It serves until its stdin ends (the benchmark closes the pipe, or dies) or it gets
// SIGTERM or SIGINT; then it closes every connection and exits 0. Stdin counts only when it is
// a pipe, a socket or a terminal: started with stdin from /dev/null or a file, it serves until
// a signal.
#include "echo_server.hpp"

#include <array>
#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <list>
#include <memory>
#include <optional>
#include <stdexcept>
#include <stop_token>
#include <string>
#include <string_view>
#include <system_error>
#include <thread>
#include <utility>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>
#include <uv.h>

#include <course/unique_fd.hpp>

#include "co_echo_server.hpp"
#include "file_limit.hpp"
#include "handle.hpp"
#include "loop.hpp"
#include "uv_error.hpp"

namespace {

// Room for the connections waiting to be accepted: the load client connects in batches of 64,
// and a full backlog drops SYNs (the client then waits a second to send them again).
constexpr int kBacklog = 1024;

// Whether stdin can tell us the benchmark is done: a pipe or socket ends when the other side
// closes it — or dies — and a terminal when Ctrl-D is typed. /dev/null or a file would end at
// once, and a server that stops as it starts is no use.
bool stdin_can_end() {
  struct stat status {};
  if (::fstat(STDIN_FILENO, &status) != 0) return false;
  return S_ISFIFO(status.st_mode) || S_ISSOCK(status.st_mode) || ::isatty(STDIN_FILENO) != 0;
}

void say_listening(int port) {
  // The benchmark waits for this line: flushed at once, whatever stdout is.
  fmt::print("listening {}\n", port);
  std::fflush(stdout);
}

// --- libuv's guide's echo server, in C style -------------------------------------------------
// On purpose as C code is written against libuv: malloc'd handles and buffers, a write request
// that carries its buffer, frees in the callbacks. No back-pressure, as in the guide.
namespace c_style {

struct WriteRequest {
  uv_write_t request;
  uv_buf_t buffer;
};

void on_close(uv_handle_t* handle) {
  std::free(handle);  // NOLINT(cppcoreguidelines-no-malloc)
}

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

// Marks the handles this server malloc'd, so that stop() can find and close them.
int client_tag = 0;

void on_connection(uv_stream_t* listener, int status) {
  if (status < 0) return;
  auto* client = static_cast<uv_tcp_t*>(std::malloc(sizeof(uv_tcp_t)));  // NOLINT
  uv_tcp_init(listener->loop, client);
  client->data = &client_tag;
  if (uv_accept(listener, reinterpret_cast<uv_stream_t*>(client)) == 0) {
    uv_read_start(reinterpret_cast<uv_stream_t*>(client), on_alloc, on_read);
  } else {
    uv_close(reinterpret_cast<uv_handle_t*>(client), on_close);
  }
}

class Server {
 public:
  explicit Server(uvx::Loop& loop)
      : loop_(loop), listener_(static_cast<uv_tcp_t*>(std::malloc(sizeof(uv_tcp_t)))) {  // NOLINT
    uv_tcp_init(loop.get(), listener_);
    listener_->data = nullptr;  // not a client (see stop)
  }
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;
  ~Server() { stop(); }

  int listen() {
    sockaddr_in address{};
    uv_ip4_addr("127.0.0.1", 0, &address);
    uvx::check(uv_tcp_bind(listener_, reinterpret_cast<const sockaddr*>(&address), 0),
               "uv_tcp_bind");
    uvx::check(uv_listen(reinterpret_cast<uv_stream_t*>(listener_), kBacklog, on_connection),
               "uv_listen");
    sockaddr_in bound{};
    int length = sizeof bound;
    uv_tcp_getsockname(listener_, reinterpret_cast<sockaddr*>(&bound), &length);
    return ntohs(bound.sin_port);
  }

  // Closes the listener and every client still connected (the guide's server keeps no list of
  // them: the loop's own list of handles has them, tagged). Their writes in flight are
  // cancelled, and on_write frees them; on_close frees the clients.
  void stop() {
    if (stopped_) return;
    stopped_ = true;
    uv_close(reinterpret_cast<uv_handle_t*>(listener_), on_close);
    uv_walk(
        loop_.get(),
        [](uv_handle_t* handle, void* /*unused*/) {
          if (handle->data == &client_tag && uv_is_closing(handle) == 0) {
            uv_close(handle, on_close);
          }
        },
        nullptr);
  }

 private:
  uvx::Loop& loop_;
  // malloc'd, as the clients are: the loop uses it until its close callback, which runs after
  // this object has gone.
  uv_tcp_t* listener_;
  bool stopped_ = false;
};

}  // namespace c_style

// --- the libuv servers' common part: the loop, and what stops it -----------------------------

// Calls `stop` once, on the loop's thread, at SIGTERM, SIGINT or the end of stdin, and then
// closes its own handles: once the server has closed its own too, the loop has nothing left
// and run() returns.
class StopOnRequest {
 public:
  StopOnRequest(uvx::Loop& loop, std::function<void()> stop)
      : stop_(std::move(stop)), terminate_(loop, uv_signal_init), interrupt_(loop, uv_signal_init) {
    for (auto* signal : {&terminate_, &interrupt_}) signal->get()->data = this;
    uvx::check(uv_signal_start(terminate_.get(), &StopOnRequest::on_signal, SIGTERM),
               "uv_signal_start");
    uvx::check(uv_signal_start(interrupt_.get(), &StopOnRequest::on_signal, SIGINT),
               "uv_signal_start");
    if (!stdin_can_end()) {
      fmt::print(stderr, "echo_server: stdin is not a pipe or a terminal: stop me with SIGTERM\n");
      return;
    }
    // A terminal wants a tty handle (libuv reopens it, so as not to make the terminal
    // non-blocking under the shell); a pipe or a socket, a pipe handle.
    if (::isatty(STDIN_FILENO) != 0) {
      stdin_tty_.emplace(loop, [](uv_loop_t* loop, uv_tty_t* tty) {
        return uv_tty_init(loop, tty, STDIN_FILENO, 1);
      });
      stdin_stream_ = reinterpret_cast<uv_stream_t*>(stdin_tty_->get());
    } else {
      stdin_pipe_.emplace(
          loop, [](uv_loop_t* loop, uv_pipe_t* pipe) { return uv_pipe_init(loop, pipe, 0); });
      uvx::check(uv_pipe_open(stdin_pipe_->get(), STDIN_FILENO), "uv_pipe_open");
      stdin_stream_ = reinterpret_cast<uv_stream_t*>(stdin_pipe_->get());
    }
    stdin_stream_->data = this;
    uvx::check(uv_read_start(stdin_stream_, &StopOnRequest::on_alloc, &StopOnRequest::on_read),
               "uv_read_start");
  }
  StopOnRequest(const StopOnRequest&) = delete;  // the handles' data point here
  StopOnRequest& operator=(const StopOnRequest&) = delete;
  ~StopOnRequest() = default;  // the Handles close themselves

 private:
  static void on_signal(uv_signal_t* signal, int /*number*/) {
    static_cast<StopOnRequest*>(signal->data)->stop();
  }
  static void on_alloc(uv_handle_t* handle, std::size_t /*suggested*/, uv_buf_t* buffer) {
    auto& self = *static_cast<StopOnRequest*>(handle->data);
    *buffer = uv_buf_init(self.ignored_.data(), self.ignored_.size());
  }
  // What arrives on stdin is ignored; its end (or an error reading it) stops the server.
  static void on_read(uv_stream_t* stream, ssize_t nread, const uv_buf_t* /*buffer*/) {
    if (nread < 0) static_cast<StopOnRequest*>(stream->data)->stop();
  }

  void stop() {
    if (!stop_) return;
    std::exchange(stop_, nullptr)();
    terminate_.close();
    interrupt_.close();
    stdin_tty_.reset();
    stdin_pipe_.reset();
  }

  std::function<void()> stop_;
  uvx::Handle<uv_signal_t> terminate_;
  uvx::Handle<uv_signal_t> interrupt_;
  std::optional<uvx::Handle<uv_tty_t>> stdin_tty_;
  std::optional<uvx::Handle<uv_pipe_t>> stdin_pipe_;
  uv_stream_t* stdin_stream_ = nullptr;
  std::array<char, 256> ignored_{};
};

// Runs one of the libuv servers until it is asked to stop. Each server closes its handles when
// destroyed; stopping destroys it on the loop's thread, the loop then runs the close callbacks
// and ends, and uv_loop_close must find nothing open.
template <class Server>
int serve_with_libuv() {
  uvx::Loop loop;
  {
    auto server = std::make_unique<Server>(loop);
    const StopOnRequest stopper(loop, [&server] { server.reset(); });
    say_listening(server->listen());
    loop.run();
  }
  if (const int status = loop.close(); status != 0) {
    fmt::print(stderr, "echo_server: handles still open at the end: {}\n",
               fmt::join(loop.open_handles(), ", "));
    return 1;
  }
  return 0;
}

// --- a thread per connection ---------------------------------------------------------------
// No event loop at all: each connection has a thread that blocks in read() until its client
// sends, and in send() until the echo is out. Simple code, at the price of a thread (a stack,
// a context switch per message) per client.
namespace threads {

// Writes all of `size` bytes (send may take fewer at a time). False if the connection failed.
bool send_all(int socket, const char* bytes, std::size_t size) {
  while (size > 0) {
    // MSG_NOSIGNAL: a client that hung up is an error of this connection, not a SIGPIPE that
    // would end the whole server.
    const ssize_t sent = ::send(socket, bytes, size, MSG_NOSIGNAL);
    if (sent < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    bytes += sent;
    size -= static_cast<std::size_t>(sent);
  }
  return true;
}

// Echoes one client until it hangs up, or until the server stops.
void echo(std::stop_token stop, const course::UniqueFd& client) {
  // A thread blocked in read() does not see a stop request: shutting the socket down wakes it,
  // and read() gives 0. (The callback's destructor waits for a callback that is running, so
  // the socket is not closed under it.)
  const std::stop_callback wake(stop, [&client] { ::shutdown(client.get(), SHUT_RDWR); });
  std::array<char, 64 * 1024> buffer;  // on this thread's stack (8 MiB)
  for (;;) {
    const ssize_t got = ::read(client.get(), buffer.data(), buffer.size());
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) return;  // the end of the stream, or an error: this client is done
    if (!send_all(client.get(), buffer.data(), static_cast<std::size_t>(got))) return;
  }
}

class Server {
 public:
  Server() : listener_(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) {
    if (!listener_.valid()) throw std::system_error(errno, std::generic_category(), "socket");
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = 0;  // the kernel's choice
    if (::bind(listener_.get(), reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0 ||
        ::listen(listener_.get(), kBacklog) != 0) {
      throw std::system_error(errno, std::generic_category(), "bind/listen");
    }
    socklen_t length = sizeof address;
    ::getsockname(listener_.get(), reinterpret_cast<sockaddr*>(&address), &length);
    port_ = ntohs(address.sin_port);
    acceptor_ = std::jthread([this](std::stop_token stop) { accept_clients(stop); });
  }
  Server(const Server&) = delete;  // the acceptor's thread points here
  Server& operator=(const Server&) = delete;
  // acceptor_ goes first (declared last): it is asked to stop and joined, and it stops and
  // joins every client's thread before it ends; then the listener closes.
  ~Server() = default;

  [[nodiscard]] int port() const noexcept { return port_; }

 private:
  // A client's thread, and whether it has finished (so that its thread can be joined at once).
  struct Client {
    std::atomic<bool> done = false;
    std::jthread thread;  // after `done`: joined before `done` goes
  };

  void accept_clients(std::stop_token stop) {
    // accept() blocks too: shutting the listening socket down wakes it, with EINVAL (Linux).
    const std::stop_callback wake(stop, [this] { ::shutdown(listener_.get(), SHUT_RDWR); });
    std::list<Client> clients;  // a list: a Client does not move while its thread runs
    while (!stop.stop_requested()) {
      course::UniqueFd client(::accept4(listener_.get(), nullptr, nullptr, SOCK_CLOEXEC));
      if (!client.valid()) {
        if (stop.stop_requested()) break;
        if (errno == EINTR || errno == ECONNABORTED) continue;
        // Out of descriptors or memory: this server stops accepting, and says why; the
        // clients it has go on until it is stopped.
        fmt::print(stderr, "echo_server: accept: {}\n", std::strerror(errno));
        break;
      }
      // A client's thread that has ended is joined now, not at the end: a long-running server
      // would otherwise keep one per client it ever had.
      clients.remove_if([](const Client& c) { return c.done.load(std::memory_order_acquire); });
      // An echo is one small write that must go at once, not wait for the last one's ACK.
      const int one = 1;
      ::setsockopt(client.get(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
      Client& added = clients.emplace_back();
      added.thread = std::jthread(
          [&added](std::stop_token stop, const course::UniqueFd& socket) {
            echo(std::move(stop), socket);
            added.done.store(true, std::memory_order_release);
          },
          std::move(client));
    }
  }  // `clients` goes: each jthread is asked to stop (its socket shut down) and joined

  course::UniqueFd listener_;
  int port_ = 0;
  std::jthread acceptor_;
};

// A set of signals blocked in this thread, and in the threads it starts from now on (they
// inherit the mask), so that only the signalfd receives them.
sigset_t block_stop_signals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  if (::pthread_sigmask(SIG_BLOCK, &signals, nullptr) != 0) {
    throw std::runtime_error("pthread_sigmask");
  }
  return signals;
}

// Blocks until SIGTERM, SIGINT (taken from `signals`, a signalfd) or the end of stdin.
void wait_for_stop(const course::UniqueFd& signals) {
  std::array<pollfd, 2> watched{{{signals.get(), POLLIN, 0}, {STDIN_FILENO, POLLIN, 0}}};
  const nfds_t count = stdin_can_end() ? 2 : 1;
  if (count == 1) {
    fmt::print(stderr, "echo_server: stdin is not a pipe or a terminal: stop me with SIGTERM\n");
  }
  for (;;) {
    if (::poll(watched.data(), count, -1) < 0) {
      if (errno == EINTR) continue;
      throw std::system_error(errno, std::generic_category(), "poll");
    }
    if (watched[0].revents != 0) return;
    if (count == 2 && watched[1].revents != 0) {
      std::array<char, 256> ignored{};
      const ssize_t got = ::read(STDIN_FILENO, ignored.data(), ignored.size());
      if (got == 0 || (got < 0 && errno != EINTR && errno != EAGAIN)) return;
    }
  }
}

int serve() {
  // Before any thread starts: every thread inherits the blocked mask.
  const sigset_t stop_signals = block_stop_signals();
  const course::UniqueFd signals(::signalfd(-1, &stop_signals, SFD_CLOEXEC));
  if (!signals.valid()) throw std::system_error(errno, std::generic_category(), "signalfd");
  const Server server;
  say_listening(server.port());
  wait_for_stop(signals);
  return 0;  // `server` goes: every thread is stopped and joined, every socket closed
}

}  // namespace threads

}  // namespace

int main(int argc, char** argv) {
  // Never outlive the benchmark that started this server: when it dies, the kernel sends
  // SIGTERM (and its end of our stdin closes, which stops us too).
  ::prctl(PR_SET_PDEATHSIG, SIGTERM);
  // A client that hangs up while its echo is written must cost that client only: without
  // this, write() to it raises SIGPIPE, whose default is to end the process.
  std::signal(SIGPIPE, SIG_IGN);
  bench::raise_file_limit();

  const std::string_view kind = argc == 2 ? argv[1] : "";
  try {
    if (kind == "coroutine") return serve_with_libuv<uvx::CoEchoServer>();
    if (kind == "callback") return serve_with_libuv<uvx::EchoServer>();
    if (kind == "c_style") return serve_with_libuv<c_style::Server>();
    if (kind == "threads") return threads::serve();
  } catch (const std::exception& error) {
    fmt::print(stderr, "echo_server {}: {}\n", kind, error.what());
    return 1;
  }
  fmt::print(stderr, "usage: echo_server coroutine|callback|c_style|threads\n");
  return 2;
}
