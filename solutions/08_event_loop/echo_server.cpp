#include "echo_server.hpp"

#include <algorithm>
#include <utility>
#include <vector>

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
  // Every connection still open is closed; writes cancelled on the way find no server to report
  // to.
  while (!connections_.empty()) {
    Connection& connection = *connections_.begin()->second;
    connection.server = nullptr;
    drop(connection);
  }
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

void EchoServer::on_connection(uv_stream_t* listener, int status) {
  auto& server = *static_cast<EchoServer*>(listener->data);
  if (status < 0) return;  // a failed accept costs that client only
  try {
    server.accept_one();
  } catch (const UvError&) {
    // No exception may leave a libuv callback (it would unwind through C): this client is lost,
    // the others go on.
  }
}

void EchoServer::accept_one() {
  auto connection = std::make_unique<Connection>(*this, loop_);
  if (uv_accept(reinterpret_cast<uv_stream_t*>(listener_.get()),
                reinterpret_cast<uv_stream_t*>(connection->tcp.get())) != 0) {
    return;  // the connection's Handle closes its socket
  }
  check(uv_read_start(reinterpret_cast<uv_stream_t*>(connection->tcp.get()), &EchoServer::on_alloc,
                      &EchoServer::on_read),
        "uv_read_start");
  connection->reading = true;
  ++stats_.accepted;
  ++stats_.open;
  const uv_tcp_t* const key = connection->tcp.get();
  connections_.emplace(key, std::move(connection));
}

void EchoServer::on_alloc(uv_handle_t* /*client*/, std::size_t suggested, uv_buf_t* buffer) {
  // Ownership passes to on_read through the buffer: it frees it, or hands it to a write.
  buffer->base = std::make_unique_for_overwrite<char[]>(suggested).release();
  buffer->len = suggested;
}

void EchoServer::on_read(uv_stream_t* client, ssize_t nread, const uv_buf_t* buffer) {
  std::unique_ptr<char[]> bytes(buffer->base);  // ours now, whatever happened
  auto& connection = *static_cast<Connection*>(client->data);
  EchoServer& server = *connection.server;
  if (nread > 0) {
    server.stats_.bytes_received += static_cast<std::size_t>(nread);
    server.echo(connection, std::move(bytes), static_cast<std::size_t>(nread));
  } else if (nread < 0) {
    server.drop(connection);  // UV_EOF: the client is done; or an error: the same
  }
  // nread == 0: nothing this time (EAGAIN); the buffer goes.
}

void EchoServer::echo(Connection& connection, std::unique_ptr<char[]> bytes, std::size_t size) {
  auto write = std::make_unique<Write>();
  write->connection = &connection;
  write->bytes = std::move(bytes);
  write->size = size;
  write->request.data = write.get();
  const uv_buf_t buffer = uv_buf_init(write->bytes.get(), static_cast<unsigned>(size));
  if (uv_write(&write->request, reinterpret_cast<uv_stream_t*>(connection.tcp.get()), &buffer, 1,
               &EchoServer::on_write) != 0) {
    drop(connection);  // the write was not queued: the Write goes here
    return;
  }
  (void)write.release();  // on_write frees it
  connection.buffered += size;
  stats_.most_buffered = std::max(stats_.most_buffered, connection.buffered);
  if (connection.buffered > options_.max_buffered_bytes && connection.reading) {
    // Back-pressure: this client does not read its echo; stop reading what it sends.
    uv_read_stop(reinterpret_cast<uv_stream_t*>(connection.tcp.get()));
    connection.reading = false;
    ++stats_.read_pauses;
  }
}

void EchoServer::on_write(uv_write_t* request, int status) {
  const std::unique_ptr<Write> write(static_cast<Write*>(request->data));
  Connection& connection = *write->connection;
  connection.buffered -= write->size;
  EchoServer* const server = connection.server;
  if (server == nullptr || connection.closing) return;  // cancelled by a close
  if (status < 0) {
    server->drop(connection);
    return;
  }
  server->stats_.bytes_echoed += write->size;
  if (!connection.reading && !server->shutting_down_ &&
      connection.buffered <= server->options_.max_buffered_bytes / 2) {
    check(uv_read_start(reinterpret_cast<uv_stream_t*>(connection.tcp.get()), &EchoServer::on_alloc,
                        &EchoServer::on_read),
          "uv_read_start");
    connection.reading = true;
  }
}

void EchoServer::shutdown() {
  if (shutting_down_) return;
  shutting_down_ = true;
  listener_.close();  // no more connections: a client that connects now is refused
  // finish() may drop a connection, which leaves connections_: walk a list made beforehand.
  std::vector<Connection*> open;
  open.reserve(connections_.size());
  for (const auto& [key, connection] : connections_) open.push_back(connection.get());
  for (Connection* connection : open) finish(*connection);
}

void EchoServer::finish(Connection& connection) {
  if (connection.closing) return;
  if (connection.reading) {
    // Nothing new to echo from here on; what was read is still written.
    uv_read_stop(reinterpret_cast<uv_stream_t*>(connection.tcp.get()));
    connection.reading = false;
  }
  // uv_shutdown waits for the writes queued before it, then sends the end of file; on_shutdown
  // closes the connection. uv_close now would cancel those writes (UV_ECANCELED): the client
  // would lose echo it is owed.
  auto request = std::make_unique<uv_shutdown_t>();
  request->data = &connection;
  if (uv_shutdown(request.get(), reinterpret_cast<uv_stream_t*>(connection.tcp.get()),
                  &EchoServer::on_shutdown) != 0) {
    drop(connection);  // already shut down or broken: nothing more can be written anyway
    return;
  }
  (void)request.release();  // on_shutdown frees it
}

void EchoServer::on_shutdown(uv_shutdown_t* request, int /*status*/) {
  // Whatever the status (done, an error, or UV_ECANCELED when the connection was closed first),
  // the connection is finished.
  const std::unique_ptr<uv_shutdown_t> owned(request);
  auto& connection = *static_cast<Connection*>(owned->data);
  if (connection.server != nullptr) connection.server->drop(connection);
}

void EchoServer::drop(Connection& connection) {
  if (connection.closing) return;
  connection.closing = true;
  --stats_.open;
  // The connection leaves the server now and lives on in its close callback (a shared_ptr: a
  // std::function must be copyable): writes still in flight are cancelled first (on_write,
  // UV_ECANCELED), and they still find it.
  const auto found = connections_.find(connection.tcp.get());
  std::shared_ptr<Connection> owned(std::move(found->second));
  connections_.erase(found);
  owned->tcp.close([owned] {});
}

}  // namespace uvx
