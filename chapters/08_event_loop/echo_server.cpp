#include "echo_server.hpp"

#include <algorithm>
#include <utility>

#include <course/not_implemented.hpp>

#include "uv_error.hpp"

namespace uvx {

// One client: its socket, and how much of its echo is waiting to be written.
struct EchoServer::Connection {
  EchoServer* server;  // null once the server is gone
  Handle<uv_tcp_t> tcp;
  std::size_t buffered = 0;
  bool reading = false;
  bool closing = false;

  Connection(EchoServer& owner, Loop& loop) : server(&owner), tcp(loop, uv_tcp_init) {
    tcp.get()->data = this;
  }
};

// One write: the request libuv fills in, and the bytes, which must live until on_write.
struct EchoServer::Write {
  uv_write_t request{};
  Connection* connection;
  std::unique_ptr<char[]> bytes;
  std::size_t size;
};

EchoServer::EchoServer(Loop& loop, Options options)
    : loop_(loop), options_(options), listener_(loop, uv_tcp_init) {
  listener_.get()->data = this;
}

EchoServer::~EchoServer() {
  // TODO(8.2): drop every connection still open, telling it first that the server is gone
  // (its server pointer: writes cancelled on the way must not report to a destroyed server).
  course::report_not_implemented("8.2", "EchoServer::~EchoServer");
}

int EchoServer::listen() {
  sockaddr_in address{};
  check(uv_ip4_addr("127.0.0.1", 0, &address), "uv_ip4_addr");
  check(uv_tcp_bind(listener_.get(), reinterpret_cast<const sockaddr*>(&address), 0),
        "uv_tcp_bind");
  check(uv_listen(reinterpret_cast<uv_stream_t*>(listener_.get()), SOMAXCONN,
                  &EchoServer::on_connection),
        "uv_listen");
  sockaddr_storage bound{};
  int length = sizeof bound;
  check(uv_tcp_getsockname(listener_.get(), reinterpret_cast<sockaddr*>(&bound), &length),
        "uv_tcp_getsockname");
  return ntohs(reinterpret_cast<const sockaddr_in*>(&bound)->sin_port);
}

void EchoServer::on_connection([[maybe_unused]] uv_stream_t* listener,
                               [[maybe_unused]] int status) {
  // TODO(8.2): the server from the listener's data; a failed connection costs nothing more;
  // otherwise accept_one — catching its UvError: no exception may leave a libuv callback (the
  // C code it would unwind through cannot), and a failed accept costs that client only.
  course::report_not_implemented("8.2", "EchoServer::on_connection");
  uv_stop(listener->loop);  // (until then: the loop stops, and a test ends at once)
}

void EchoServer::accept_one() {
  // TODO(8.2): a Connection (its socket initialised on the loop), uv_accept into it, uv_read_start
  // with on_alloc and on_read; stats_.accepted and stats_.open go up; kept in connections_ by
  // its handle.
  throw course::NotImplemented("8.2", "EchoServer::accept_one");
}

void EchoServer::on_alloc([[maybe_unused]] uv_handle_t* client,
                          [[maybe_unused]] std::size_t suggested,
                          [[maybe_unused]] uv_buf_t* buffer) {
  // TODO(8.2): a buffer of `suggested` bytes (make_unique_for_overwrite, released: on_read takes
  // it back).
  course::report_not_implemented("8.2", "EchoServer::on_alloc");
}

void EchoServer::on_read([[maybe_unused]] uv_stream_t* client, [[maybe_unused]] ssize_t nread,
                         [[maybe_unused]] const uv_buf_t* buffer) {
  // TODO(8.2): take the buffer back (a unique_ptr, whatever happened); nread > 0: count them
  // (bytes_received) and echo them; nread < 0 (UV_EOF, or an error): drop the connection; 0:
  // nothing.
  course::report_not_implemented("8.2", "EchoServer::on_read");
}

void EchoServer::echo([[maybe_unused]] Connection& connection,
                      [[maybe_unused]] std::unique_ptr<char[]> bytes,
                      [[maybe_unused]] std::size_t size) {
  // TODO(8.2): a Write owning the bytes (the request's data leads to it); uv_write; on failure
  // drop the connection. Count the bytes buffered; past max_buffered_bytes stop reading from
  // this client (uv_read_stop) — back-pressure.
  throw course::NotImplemented("8.2", "EchoServer::echo");
}

void EchoServer::on_write([[maybe_unused]] uv_write_t* request, [[maybe_unused]] int status) {
  // TODO(8.2): take the Write back (it frees the bytes); fewer bytes buffered; nothing more if the
  // server is gone or the connection closing (UV_ECANCELED); an error drops the connection;
  // otherwise count the echo, and read again once the buffered bytes are down to half the limit
  // (8.3: unless the server is shutting down).
  course::report_not_implemented("8.2", "EchoServer::on_write");
}

void EchoServer::shutdown() {
  // TODO(8.3): once only (shutting_down_): close the listener, then finish() every connection —
  // from a list of them made first: finish may drop one, which takes it out of connections_.
  throw course::NotImplemented("8.3", "EchoServer::shutdown");
}

void EchoServer::finish([[maybe_unused]] Connection& connection) {
  // TODO(8.3): nothing if it is closing. Stop reading from it; then a uv_shutdown_t (make_unique,
  // its data the connection, released to on_shutdown) and uv_shutdown with on_shutdown: it
  // waits for the writes queued, then sends the end of file. If uv_shutdown fails, drop it.
  // (Not uv_close now: that cancels the writes in flight, and the client loses its echo.)
  throw course::NotImplemented("8.3", "EchoServer::finish");
}

void EchoServer::on_shutdown([[maybe_unused]] uv_shutdown_t* request, [[maybe_unused]] int status) {
  // TODO(8.3): take the request back (a unique_ptr); whatever the status, drop its connection —
  // unless the server is gone.
  course::report_not_implemented("8.3", "EchoServer::on_shutdown");
}

void EchoServer::drop([[maybe_unused]] Connection& connection) {
  // TODO(8.2): once only: mark it closing (stats_.open goes down), take it out of connections_
  // (into a shared_ptr) and close its socket with a `then` that holds that shared_ptr — the
  // connection lives until the close callback, after the writes in flight are cancelled.
  throw course::NotImplemented("8.2", "EchoServer::drop");
}

}  // namespace uvx
