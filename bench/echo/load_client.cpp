// The echo servers' load: N loopback connections to one server, each with one request in flight
// — send a message, wait for all of its echo, check it, send the next — for S seconds after a
// warm-up. One line of JSON on stdout says how it went; diagnostics go to stderr.
//
//   $ build-solutions/bench/load_client --port P --connections N --size BYTES --seconds S
//                                       [--warmup S]
//   {"connections": 100, "size": 1024, "seconds": 1, "requests": 81234, ...}
//
// It exits non-zero, with a message on stderr, if it cannot connect, a connection drops, or an
// echo is not what was sent. It drives every connection from one thread with epoll: on a
// 2-core machine the server under test gets the other core. It only ever connects to
// 127.0.0.1: it is a benchmark of the course's servers, not a load generator for other hosts.
#include <algorithm>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fmt/format.h>

#include <course/unique_fd.hpp>

#include "file_limit.hpp"

namespace {

using Clock = std::chrono::steady_clock;

struct Options {
  int port = 0;
  std::size_t connections = 1;
  std::size_t size = 1024;
  double seconds = 1.0;
  double warmup = 0.2;
};

// Thrown for what ends the run: the message says what went wrong, main prints it.
struct LoadError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

[[noreturn]] void fail_errno(std::string_view what) {
  throw LoadError(fmt::format("{}: {}", what, std::strerror(errno)));
}

// One connection and where its current request stands.
struct Connection {
  course::UniqueFd socket;
  std::string message;         // what this connection sends; its echo must be the same bytes
  std::size_t sent = 0;        // bytes of the current message handed to the kernel so far
  std::size_t echoed = 0;      // bytes of its echo received and checked so far
  bool want_writable = false;  // EPOLLOUT is on while a message did not fit the socket at once
  std::uint64_t sequence = 0;
  Clock::time_point started;
};

class Load {
 public:
  explicit Load(const Options& options)
      : options_(options), epoll_(::epoll_create1(EPOLL_CLOEXEC)), buffer_(64 * 1024) {
    if (!epoll_.valid()) fail_errno("epoll_create1");
  }

  // Opens every connection, `batch` at a time. Each batch's connections must complete one echo
  // before the next batch connects: a connection counts as made once the server has accepted
  // it and answers, so at most `batch` connections ever wait in the server's listen backlog —
  // a full backlog would drop SYNs, and those connects would stall for a second's retransmit.
  void connect_all(std::size_t batch) {
    connections_.reserve(options_.connections);
    while (connections_.size() < options_.connections) {
      const std::size_t first = connections_.size();
      const std::size_t count = std::min(batch, options_.connections - first);
      for (std::size_t i = 0; i < count; ++i) open_one();
      for (std::size_t i = first; i < first + count; ++i) start_request(i);
      std::size_t done = 0;
      while (done < count) done += step(Clock::now() + std::chrono::seconds(10), "connecting");
    }
  }

  // Keeps every connection busy until `until`; gives the latencies of the requests that
  // completed meanwhile (the requests still in flight at the end are not counted).
  std::vector<std::uint32_t> run(Clock::time_point until) {
    latencies_us_.clear();
    recording_ = true;
    while (Clock::now() < until) step(until, "running");
    recording_ = false;
    return std::move(latencies_us_);
  }

 private:
  // Connects one socket to 127.0.0.1:port without blocking; step() sees it complete (its
  // first echo arrives) or fail (an error on the socket).
  void open_one() {
    const std::size_t index = connections_.size();
    Connection& connection = connections_.emplace_back();
    connection.socket =
        course::UniqueFd(::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
    if (!connection.socket.valid()) fail_errno("socket");
    // A request is one small write: without TCP_NODELAY, Nagle's rule could hold a message
    // back waiting for the previous one's ACK, and measure the delayed-ACK timer.
    const int one = 1;
    ::setsockopt(connection.socket.get(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(options_.port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(connection.socket.get(), reinterpret_cast<const sockaddr*>(&address),
                  sizeof address) != 0 &&
        errno != EINPROGRESS) {
      fail_errno(fmt::format("connecting to 127.0.0.1:{}", options_.port));
    }
    // Each connection's bytes differ from the others' (and each request carries its sequence
    // number), so an echo sent to the wrong connection, or an old echo, is caught.
    connection.message.resize(options_.size);
    for (std::size_t i = 0; i < options_.size; ++i) {
      connection.message[i] = static_cast<char>('a' + (index + i) % 26);
    }
    epoll_event event{};
    event.events = EPOLLIN;
    event.data.u64 = index;
    if (::epoll_ctl(epoll_.get(), EPOLL_CTL_ADD, connection.socket.get(), &event) != 0) {
      fail_errno("epoll_ctl");
    }
  }

  void start_request(std::size_t index) {
    Connection& connection = connections_[index];
    ++connection.sequence;
    const std::size_t stamp = std::min(sizeof connection.sequence, connection.message.size());
    std::memcpy(connection.message.data(), &connection.sequence, stamp);
    connection.sent = 0;
    connection.echoed = 0;
    connection.started = Clock::now();
    send_more(index);
  }

  // Sends what the socket takes of the current message; if some is left (a message larger than
  // the socket's buffer), asks epoll to say when the socket is writable again.
  void send_more(std::size_t index) {
    Connection& connection = connections_[index];
    while (connection.sent < connection.message.size()) {
      const ssize_t n = ::send(connection.socket.get(), connection.message.data() + connection.sent,
                               connection.message.size() - connection.sent, MSG_NOSIGNAL);
      if (n < 0) {
        if (errno == EAGAIN || errno == EWOULDBLOCK) break;
        fail_errno(what_failed(index, "send"));
      }
      connection.sent += static_cast<std::size_t>(n);
    }
    const bool want_writable = connection.sent < connection.message.size();
    if (want_writable != connection.want_writable) {
      epoll_event event{};
      event.events = EPOLLIN | (want_writable ? EPOLLOUT : 0U);
      event.data.u64 = index;
      if (::epoll_ctl(epoll_.get(), EPOLL_CTL_MOD, connection.socket.get(), &event) != 0) {
        fail_errno("epoll_ctl");
      }
      connection.want_writable = want_writable;
    }
  }

  // Says which connection failed, and whether it ever got through: a server that is not there
  // (connection refused) is a different mistake from one that drops a client.
  std::string what_failed(std::size_t index, std::string_view what) const {
    if (connections_[index].sequence <= 1) {
      return fmt::format("cannot connect to 127.0.0.1:{} (connection {}): {}", options_.port, index,
                         what);
    }
    return fmt::format("connection {} to 127.0.0.1:{}: {}", index, options_.port, what);
  }

  // Reads what has arrived and checks it against what was sent. Gives whether the request is
  // complete.
  bool receive(std::size_t index) {
    Connection& connection = connections_[index];
    for (;;) {
      const ssize_t n = ::recv(connection.socket.get(), buffer_.data(), buffer_.size(), 0);
      if (n < 0) {
        if (errno == EAGAIN || errno == EWOULDBLOCK) return false;
        fail_errno(what_failed(index, "the connection dropped"));
      }
      if (n == 0) {
        throw LoadError(what_failed(index, "the server closed it"));
      }
      const auto got = static_cast<std::size_t>(n);
      // Bytes echoed before they were all sent cannot be right; nor can more than was sent.
      if (connection.echoed + got > connection.sent ||
          std::memcmp(buffer_.data(), connection.message.data() + connection.echoed, got) != 0) {
        throw LoadError(fmt::format(
            "connection {}: the echo differs from what was sent (bytes {} to {} of {})", index,
            connection.echoed, connection.echoed + got, connection.message.size()));
      }
      connection.echoed += got;
      if (connection.echoed == connection.message.size()) return true;
      if (got < buffer_.size()) return false;  // drained for now: epoll says when more comes
    }
  }

  // Waits for what is ready (until `deadline` at the latest) and serves it; gives how many
  // requests completed.
  std::size_t step(Clock::time_point deadline, std::string_view phase) {
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) {
      if (phase == "connecting") {
        throw LoadError(fmt::format("connecting to 127.0.0.1:{}: no echo for 10 s", options_.port));
      }
      return 0;
    }
    events_.resize(std::max<std::size_t>(connections_.size(), 1));
    const int ready = ::epoll_wait(epoll_.get(), events_.data(), static_cast<int>(events_.size()),
                                   static_cast<int>(std::min<long>(left.count(), 1000)));
    if (ready < 0) {
      if (errno == EINTR) return 0;
      fail_errno("epoll_wait");
    }
    std::size_t completed = 0;
    for (int i = 0; i < ready; ++i) {
      const epoll_event& event = events_[static_cast<std::size_t>(i)];
      const auto index = static_cast<std::size_t>(event.data.u64);
      Connection& connection = connections_[index];
      // A refused connect, a reset: the socket's error says which (a plain end of the stream
      // shows as EPOLLIN, and recv's 0 reports it).
      if ((event.events & EPOLLERR) != 0) {
        int error = 0;
        socklen_t length = sizeof error;
        ::getsockopt(connection.socket.get(), SOL_SOCKET, SO_ERROR, &error, &length);
        throw LoadError(what_failed(index, error != 0 ? std::strerror(error) : "hung up"));
      }
      if ((event.events & EPOLLOUT) != 0) send_more(index);
      if ((event.events & EPOLLIN) != 0 && receive(index)) {
        if (recording_) {
          const auto took = std::chrono::duration_cast<std::chrono::microseconds>(
              Clock::now() - connection.started);
          latencies_us_.push_back(static_cast<std::uint32_t>(took.count()));
        }
        ++completed;
        start_request(index);
      }
    }
    return completed;
  }

  const Options& options_;
  course::UniqueFd epoll_;
  std::vector<Connection> connections_;
  std::vector<epoll_event> events_;
  std::vector<char> buffer_;
  std::vector<std::uint32_t> latencies_us_;
  bool recording_ = false;
};

// The latency below which `fraction` of the requests completed.
double percentile(std::vector<std::uint32_t>& sorted, double fraction) {
  if (sorted.empty()) return 0;
  const auto at = static_cast<std::size_t>(fraction * static_cast<double>(sorted.size() - 1));
  return sorted[at];
}

// Fails unless `connections` sockets fit under the limit on open files (raised first).
void check_file_limit(std::size_t connections) {
  const rlim_t limit = bench::raise_file_limit();
  const std::size_t needed = connections + 16;  // and stdio, epoll, a few to spare
  if (limit != RLIM_INFINITY && limit < needed) {
    throw LoadError(fmt::format("{} connections need {} file descriptors; the limit is {}",
                                connections, needed, limit));
  }
}

template <class T>
T parse_number(std::string_view flag, std::string_view text) {
  T value{};
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc{} || end != text.data() + text.size()) {
    throw std::invalid_argument(fmt::format("{} wants a number, not '{}'", flag, text));
  }
  return value;
}

Options parse(int argc, char** argv) {
  Options options;
  bool has_port = false;
  for (int i = 1; i < argc; ++i) {
    const std::string_view flag = argv[i];
    if (i + 1 >= argc) throw std::invalid_argument(fmt::format("{} needs a value", flag));
    const std::string_view value = argv[++i];
    if (flag == "--port") {
      options.port = parse_number<int>(flag, value);
      has_port = true;
    } else if (flag == "--connections") {
      options.connections = parse_number<std::size_t>(flag, value);
    } else if (flag == "--size") {
      options.size = parse_number<std::size_t>(flag, value);
    } else if (flag == "--seconds") {
      options.seconds = parse_number<double>(flag, value);
    } else if (flag == "--warmup") {
      options.warmup = parse_number<double>(flag, value);
    } else {
      throw std::invalid_argument(fmt::format("unknown option {}", flag));
    }
  }
  if (!has_port || options.port <= 0 || options.port > 65535) {
    throw std::invalid_argument("--port must be given, from 1 to 65535");
  }
  if (options.connections == 0 || options.size == 0 || options.seconds <= 0 || options.warmup < 0) {
    throw std::invalid_argument("--connections and --size must be positive, --seconds > 0");
  }
  return options;
}

Clock::time_point after(double seconds) {
  return Clock::now() +
         std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  try {
    options = parse(argc, argv);
  } catch (const std::invalid_argument& error) {
    fmt::print(stderr,
               "load_client: {}\nusage: load_client --port P --connections N --size BYTES "
               "--seconds S [--warmup S]\n",
               error.what());
    return 2;
  }
  try {
    check_file_limit(options.connections);
    Load load(options);
    load.connect_all(64);
    if (options.warmup > 0) load.run(after(options.warmup));
    const auto start = Clock::now();
    std::vector<std::uint32_t> latencies = load.run(after(options.seconds));
    const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
    std::sort(latencies.begin(), latencies.end());
    fmt::print(
        "{{\"connections\": {}, \"size\": {}, \"seconds\": {}, \"requests\": {}, "
        "\"requests_per_second\": {:.1f}, \"p50_us\": {}, \"p99_us\": {}, \"errors\": 0}}\n",
        options.connections, options.size, options.seconds, latencies.size(),
        static_cast<double>(latencies.size()) / elapsed, percentile(latencies, 0.50),
        percentile(latencies, 0.99));
    std::fflush(stdout);
    return 0;
  } catch (const LoadError& error) {
    fmt::print(stderr, "load_client: {}\n", error.what());
    return 1;
  }
}
