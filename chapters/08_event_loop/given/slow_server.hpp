// Given: exercise 8.7's slow server — a loopback service that answers each request after a
// delay, like a database or a web API far away, for three clients to fetch from: a thread per
// request, a process pool, and the event loop.
//
// It serves on a thread of its own with epoll, the system call that libuv is built on: one
// epoll_wait tells which of its sockets are ready, and when the next answer is due.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <sys/types.h>

namespace slow {

// The protocol, one request per connection:
//   client → server   "ITEM PID\n"     the item wanted, and the process that asks (getpid())
//   server → client   "ITEM VALUE\n"   after the delay; then the server closes the connection
// A VALUE is 16 hex digits computed from the item and a key the server draws when it starts: a
// client cannot know it without asking.

// The request line for `item`, from this process.
std::string request_line(int item);

// The VALUE of the answer `line` ("ITEM VALUE", its newline optional); throws
// std::runtime_error when it is not an answer to `item`.
std::string parse_answer(int item, std::string_view line);

// A blocking fetch, for threads and processes: connects to 127.0.0.1:`port`, sends the request,
// reads until the answer's newline, closes; gives the VALUE. Throws std::runtime_error naming the
// item when it cannot connect, or the server closes without answering, or nothing comes for 10 s.
std::string fetch_blocking(int port, int item);

// The VALUE a server with key `key` answers for `item`.
std::string value_of(std::uint64_t key, int item);

struct Options {
  // How long the server takes to answer `item`.
  std::function<std::chrono::milliseconds(int item)> delay = [](int) {
    return std::chrono::milliseconds(50);
  };
  // The key the values are computed from; 0: a random one.
  std::uint64_t key = 0;
  // When not 0, the server holds every answer until this many requests wait at the same moment,
  // or until `hold_limit` has passed since the first request; from then on it answers as usual,
  // each delay counted from that moment. The tests see this way whether requests overlap,
  // without a stopwatch.
  std::size_t hold_until_waiting = 0;
  std::chrono::milliseconds hold_limit{3000};
  // Items the server refuses: it reads the request, waits the time given, and closes the
  // connection without answering.
  std::map<int, std::chrono::milliseconds> refused;
  // Items whose asker dies: the server kills (SIGKILL) the process whose PID the request line
  // gives, as if it crashed in the middle of its work — never the server's own process (it
  // refuses the item instead).
  std::vector<int> fatal;
  // Each answer is sent in two pieces, 5 ms apart: a client has to read until the newline.
  bool answer_in_pieces = false;
};

struct Stats {
  std::size_t requests = 0;       // requests read (refused ones too)
  std::size_t answered = 0;       // answers sent whole
  std::size_t open = 0;           // connections open now
  std::size_t most_waiting = 0;   // requests waiting for their answers at one moment, at most
  bool held_until_limit = false;  // the hold ended at its time limit, not by enough requests
  std::map<pid_t, std::size_t> requests_by_process;  // from the PID of each request line
};

class SlowServer {
 public:
  // Listens on 127.0.0.1, on a port the kernel picks, and serves until destroyed.
  explicit SlowServer(Options options = {});
  ~SlowServer();  // stops serving, closes every connection, joins its thread
  SlowServer(const SlowServer&) = delete;
  SlowServer& operator=(const SlowServer&) = delete;

  [[nodiscard]] int port() const noexcept;
  [[nodiscard]] std::string value_of(int item) const;  // what it answers for `item`
  [[nodiscard]] Stats stats() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
  std::jthread thread_;
};

}  // namespace slow
