#include "slow_server.hpp"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <csignal>
#include <cstring>
#include <mutex>
#include <optional>
#include <random>
#include <stdexcept>
#include <system_error>
#include <unordered_map>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <fmt/format.h>

#include <course/unique_fd.hpp>

namespace slow {

namespace {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

[[noreturn]] void throw_errno(std::string_view what) {
  throw std::system_error(errno, std::generic_category(), std::string(what));
}

// splitmix64: a good mix of the bits, so values look random and differ for every item.
std::uint64_t mix(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30U)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27U)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31U);
}

std::uint64_t random_key() {
  std::random_device device;
  const std::uint64_t key = (std::uint64_t{device()} << 32U) | device();
  return key == 0 ? 1 : key;
}

sockaddr_in loopback(int port) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return address;
}

// Parses "A B" (two integers and nothing else, a newline allowed at the end).
bool parse_two(std::string_view line, long long& a, long long& b) {
  if (line.ends_with('\n')) line.remove_suffix(1);
  const auto space = line.find(' ');
  if (space == std::string_view::npos) return false;
  const auto first = line.substr(0, space);
  const auto second = line.substr(space + 1);
  const auto [end_a, error_a] = std::from_chars(first.data(), first.data() + first.size(), a);
  const auto [end_b, error_b] = std::from_chars(second.data(), second.data() + second.size(), b);
  return error_a == std::errc{} && end_a == first.data() + first.size() && error_b == std::errc{} &&
         end_b == second.data() + second.size() && !second.empty();
}

}  // namespace

std::string request_line(int item) {
  return fmt::format("{} {}\n", item, ::getpid());
}

std::string value_of(std::uint64_t key, int item) {
  return fmt::format("{:016x}", mix(key ^ mix(static_cast<std::uint64_t>(item))));
}

std::string parse_answer(int item, std::string_view line) {
  std::string_view text = line;
  if (text.ends_with('\n')) text.remove_suffix(1);
  const auto space = text.find(' ');
  const auto value = space == std::string_view::npos ? std::string_view{} : text.substr(space + 1);
  int answered_item = 0;
  const auto head = text.substr(0, std::min(space, text.size()));
  const auto [end, error] = std::from_chars(head.data(), head.data() + head.size(), answered_item);
  const bool hex = value.size() == 16 && std::all_of(value.begin(), value.end(), [](char c) {
                     return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
                   });
  if (error != std::errc{} || end != head.data() + head.size() || answered_item != item || !hex) {
    throw std::runtime_error(
        fmt::format("item {}: '{}' is not an answer to it (expected \"{} <16 hex digits>\\n\")",
                    item, line, item));
  }
  return std::string(value);
}

std::string fetch_blocking(int port, int item) {
  const course::UniqueFd socket_fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  const auto fail = [item](std::string_view what) {
    return std::runtime_error(fmt::format("item {}: {}: {}", item, what, std::strerror(errno)));
  };
  if (!socket_fd.valid()) throw fail("socket");
  // A server that never answers ends the wait after 10 s instead of blocking for ever.
  const timeval ten_seconds{.tv_sec = 10, .tv_usec = 0};
  ::setsockopt(socket_fd.get(), SOL_SOCKET, SO_RCVTIMEO, &ten_seconds, sizeof ten_seconds);
  ::setsockopt(socket_fd.get(), SOL_SOCKET, SO_SNDTIMEO, &ten_seconds, sizeof ten_seconds);
  const auto address = loopback(port);
  int connected = 0;
  do {
    connected =
        ::connect(socket_fd.get(), reinterpret_cast<const sockaddr*>(&address), sizeof address);
  } while (connected != 0 && errno == EINTR);
  if (connected != 0) throw fail(fmt::format("cannot connect to 127.0.0.1:{}", port));

  const std::string request = request_line(item);
  for (std::size_t sent = 0; sent < request.size();) {
    const auto n =
        ::send(socket_fd.get(), request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw fail("sending the request");
    sent += static_cast<std::size_t>(n);
  }

  std::string answer;
  char buffer[256];
  while (answer.find('\n') == std::string::npos) {
    const auto n = ::recv(socket_fd.get(), buffer, sizeof buffer, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      throw std::runtime_error(fmt::format("item {}: no answer within 10 s", item));
    }
    if (n < 0) throw fail("receiving the answer");
    if (n == 0) {
      throw std::runtime_error(
          fmt::format("item {}: the server closed the connection without answering", item));
    }
    answer.append(buffer, static_cast<std::size_t>(n));
  }
  return parse_answer(item, answer);
}

// The server's state. Only the server's thread touches the connections; the stats are also
// read by other threads, under the mutex.
struct SlowServer::State {
  struct Connection {
    course::UniqueFd fd;
    std::string received;
    std::string answer;    // what is left to send once it is due
    bool waiting = false;  // a whole request came, its answer has not gone whole yet
    int pieces_left = 0;   // of the answer: 2 when it goes in two pieces
    bool refuse = false;   // closed without an answer when its time comes
    int item = 0;
  };

  Options options;
  std::uint64_t key;
  course::UniqueFd listener;
  course::UniqueFd epoll;
  course::UniqueFd wake;  // an eventfd: the destructor's "stop"
  int port = 0;

  // epoll's data for each socket is an id that is never reused, so a due time kept for a
  // connection that has gone cannot be mistaken for a new one on the same descriptor.
  static constexpr std::uint64_t kListenerId = 0;
  static constexpr std::uint64_t kWakeId = 1;
  std::uint64_t next_id = 2;
  std::unordered_map<std::uint64_t, Connection> connections;
  std::multimap<Clock::time_point, std::uint64_t> due;  // answers (or their second pieces)
  std::vector<std::uint64_t> held;                      // requests waiting for the hold to end
  bool holding = false;
  std::optional<Clock::time_point> hold_ends;
  bool listening = true;  // not while out of file descriptors
  std::size_t waiting = 0;

  mutable std::mutex stats_mutex;
  Stats stats;  // guarded by stats_mutex

  explicit State(Options given)
      : options(std::move(given)),
        key(options.key != 0 ? options.key : random_key()),
        holding(options.hold_until_waiting > 0) {
    listener = course::UniqueFd(::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
    if (!listener.valid()) throw_errno("slow::SlowServer: socket");
    const auto address = loopback(0);  // port 0: the kernel picks a free one
    if (::bind(listener.get(), reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
      throw_errno("slow::SlowServer: bind");
    }
    if (::listen(listener.get(), SOMAXCONN) != 0) throw_errno("slow::SlowServer: listen");
    sockaddr_in bound{};
    socklen_t length = sizeof bound;
    ::getsockname(listener.get(), reinterpret_cast<sockaddr*>(&bound), &length);
    port = ntohs(bound.sin_port);

    epoll = course::UniqueFd(::epoll_create1(EPOLL_CLOEXEC));
    wake = course::UniqueFd(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC));
    if (!epoll.valid() || !wake.valid()) throw_errno("slow::SlowServer: epoll_create1/eventfd");
    watch(listener.get(), kListenerId, EPOLL_CTL_ADD);
    watch(wake.get(), kWakeId, EPOLL_CTL_ADD);
  }

  void watch(int fd, std::uint64_t id, int operation) const {
    epoll_event event{};
    event.events = EPOLLIN;
    event.data.u64 = id;
    if (::epoll_ctl(epoll.get(), operation, fd, &event) != 0)
      throw_errno("slow::SlowServer: epoll_ctl");
  }

  // The server's thread: wait for a socket or the next due time, handle it, again.
  void serve() {
    std::vector<epoll_event> events(256);
    for (;;) {
      const int n = ::epoll_wait(epoll.get(), events.data(), static_cast<int>(events.size()),
                                 milliseconds_to_next());
      if (n < 0 && errno != EINTR) {
        fmt::print(stderr, "slow::SlowServer: epoll_wait: {}\n", std::strerror(errno));
        return;
      }
      for (int i = 0; i < n; ++i) {
        const std::uint64_t id = events[static_cast<std::size_t>(i)].data.u64;
        if (id == kWakeId) return;
        if (id == kListenerId) {
          accept_all();
        } else {
          receive(id);
        }
      }
      const auto now = Clock::now();
      if (holding && hold_ends && now >= *hold_ends) end_hold(now, /*by_limit=*/true);
      while (!due.empty() && due.begin()->first <= now) {
        const std::uint64_t id = due.begin()->second;
        due.erase(due.begin());
        send_due(id, now);
      }
    }
  }

  [[nodiscard]] int milliseconds_to_next() const {
    std::optional<Clock::time_point> next;
    if (!due.empty()) next = due.begin()->first;
    if (holding && hold_ends && (!next || *hold_ends < *next)) next = hold_ends;
    if (!next) return -1;
    const auto wait = std::chrono::ceil<std::chrono::milliseconds>(*next - Clock::now());
    return static_cast<int>(std::max<std::chrono::milliseconds::rep>(wait.count(), 0));
  }

  void accept_all() {
    for (;;) {
      const int fd = ::accept4(listener.get(), nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
      if (fd < 0) {
        if (errno == EMFILE || errno == ENFILE) {
          // Out of descriptors: stop listening until a connection has gone (else epoll would
          // report the listener ready again at once, for ever). The clients wait in the backlog.
          ::epoll_ctl(epoll.get(), EPOLL_CTL_DEL, listener.get(), nullptr);
          listening = false;
        }
        return;  // EAGAIN: nobody else is waiting
      }
      const std::uint64_t id = next_id++;
      connections[id].fd = course::UniqueFd(fd);
      watch(fd, id, EPOLL_CTL_ADD);
      const std::lock_guard lock(stats_mutex);
      stats.open = connections.size();
    }
  }

  void receive(std::uint64_t id) {
    const auto found = connections.find(id);
    if (found == connections.end()) return;
    Connection& connection = found->second;
    char buffer[256];
    const auto n = ::recv(connection.fd.get(), buffer, sizeof buffer, 0);
    if (n < 0 && (errno == EAGAIN || errno == EINTR)) return;
    if (n <= 0) {  // the client went away (or broke the connection) before its answer
      drop(id);
      return;
    }
    if (connection.waiting) return;  // bytes after the request: ignored
    connection.received.append(buffer, static_cast<std::size_t>(n));
    const auto newline = connection.received.find('\n');
    if (newline == std::string::npos) {
      if (connection.received.size() > 64) drop(id);  // not this protocol
      return;
    }
    long long item = 0;
    long long pid = 0;
    if (!parse_two(std::string_view(connection.received).substr(0, newline), item, pid)) {
      drop(id);
      return;
    }
    connection.item = static_cast<int>(item);
    {
      const std::lock_guard lock(stats_mutex);
      ++stats.requests;
      ++stats.requests_by_process[static_cast<pid_t>(pid)];
    }
    if (std::find(options.fatal.begin(), options.fatal.end(), connection.item) !=
        options.fatal.end()) {
      if (pid > 0 && pid != ::getpid()) ::kill(static_cast<pid_t>(pid), SIGKILL);
      drop(id);
      return;
    }
    if (const auto refusal = options.refused.find(connection.item);
        refusal != options.refused.end()) {
      connection.refuse = true;
      due.emplace(Clock::now() + refusal->second, id);
      return;
    }
    connection.waiting = true;
    connection.pieces_left = options.answer_in_pieces ? 2 : 1;
    connection.answer =
        fmt::format("{} {}\n", connection.item, ::slow::value_of(key, connection.item));
    ++waiting;
    {
      const std::lock_guard lock(stats_mutex);
      stats.most_waiting = std::max(stats.most_waiting, waiting);
    }
    const auto now = Clock::now();
    if (!holding) {
      schedule(id, now);
      return;
    }
    held.push_back(id);
    if (!hold_ends) hold_ends = now + options.hold_limit;
    if (waiting >= options.hold_until_waiting) end_hold(now, /*by_limit=*/false);
  }

  void schedule(std::uint64_t id, Clock::time_point from) {
    const Connection& connection = connections.at(id);
    due.emplace(from + options.delay(connection.item), id);
  }

  void end_hold(Clock::time_point now, bool by_limit) {
    holding = false;
    if (by_limit) {
      const std::lock_guard lock(stats_mutex);
      stats.held_until_limit = true;
    }
    for (const std::uint64_t id : held) {
      if (connections.contains(id)) schedule(id, now);
    }
    held.clear();
  }

  void send_due(std::uint64_t id, Clock::time_point now) {
    const auto found = connections.find(id);
    if (found == connections.end()) return;  // the client went away
    Connection& connection = found->second;
    if (connection.refuse) {
      drop(id);
      return;
    }
    std::string_view piece = connection.answer;
    if (connection.pieces_left-- == 2) piece = piece.substr(0, piece.size() / 2);
    // A few dozen bytes into a socket nobody wrote to before: the kernel takes them at once.
    const auto n = ::send(connection.fd.get(), piece.data(), piece.size(), MSG_NOSIGNAL);
    if (n != static_cast<ssize_t>(piece.size())) {
      drop(id);
      return;
    }
    connection.answer.erase(0, piece.size());
    if (!connection.answer.empty()) {
      due.emplace(now + 5ms, id);
      return;
    }
    {
      const std::lock_guard lock(stats_mutex);
      ++stats.answered;
    }
    drop(id);
  }

  void drop(std::uint64_t id) {
    const auto found = connections.find(id);
    if (found == connections.end()) return;
    if (found->second.waiting) --waiting;
    connections.erase(found);  // closes the socket, which also takes it out of epoll
    {
      const std::lock_guard lock(stats_mutex);
      stats.open = connections.size();
    }
    if (!listening) {  // a descriptor is free again
      listening = true;
      watch(listener.get(), kListenerId, EPOLL_CTL_ADD);
    }
  }
};

SlowServer::SlowServer(Options options)
    : state_(std::make_unique<State>(std::move(options))),
      thread_([state = state_.get()] { state->serve(); }) {}

SlowServer::~SlowServer() {
  const std::uint64_t one = 1;
  [[maybe_unused]] const auto written = ::write(state_->wake.get(), &one, sizeof one);
  thread_.join();
}

int SlowServer::port() const noexcept {
  return state_->port;
}

std::string SlowServer::value_of(int item) const {
  return ::slow::value_of(state_->key, item);
}

Stats SlowServer::stats() const {
  const std::lock_guard lock(state_->stats_mutex);
  return state_->stats;
}

}  // namespace slow
