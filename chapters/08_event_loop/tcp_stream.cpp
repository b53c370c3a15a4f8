#include "tcp_stream.hpp"

#include <memory>
#include <utility>

#include <course/not_implemented.hpp>

#include "uv_error.hpp"

namespace uvx {

TcpStream::TcpStream(Loop& loop) : tcp_(loop, uv_tcp_init) {}

TcpStream::Read TcpStream::read(std::size_t at_most) {
  return Read(*this, at_most);
}

TcpStream::Write TcpStream::write(std::string bytes) {
  return Write(*this, std::move(bytes));
}

TcpStream::Connect TcpStream::connect(Loop& loop, int port) {
  return Connect(loop, port);
}

// --- read ---------------------------------------------------------------------------------

TcpStream::Read::Read(TcpStream& stream, std::size_t at_most)
    : stream_(stream), at_most_(at_most) {}

TcpStream::Read::~Read() {
  // TODO(8.5): a read still pending (cancelled while it waits) must never call back: stop it.
}

void TcpStream::Read::await_suspend([[maybe_unused]] std::coroutine_handle<> waiting) {
  // TODO(8.5): remember who waits; the stream's data leads to this Read; uv_read_start with
  // on_alloc and on_read; now it is pending.
  throw course::NotImplemented("8.5", "TcpStream::Read::await_suspend");
}

void TcpStream::Read::on_alloc([[maybe_unused]] uv_handle_t* handle,
                               [[maybe_unused]] std::size_t suggested,
                               [[maybe_unused]] uv_buf_t* buffer) {
  // TODO(8.5): read into the Read's own buffer, at_most bytes (make_unique_for_overwrite: libuv
  // writes them, no need to zero them first), made now if it is not there yet.
  course::report_not_implemented("8.5", "TcpStream::Read::on_alloc");
}

void TcpStream::Read::on_read([[maybe_unused]] uv_stream_t* stream, [[maybe_unused]] ssize_t status,
                              [[maybe_unused]] const uv_buf_t* buffer) {
  // TODO(8.5): 0 is "nothing this time". Otherwise one chunk per co_await: stop reading, keep
  // the status, no longer pending, resume. (After resume() the Read may be gone.)
  course::report_not_implemented("8.5", "TcpStream::Read::on_read");
}

std::string TcpStream::Read::await_resume() {
  // TODO(8.5): "" at UV_EOF; an error throws (check); else the bytes read (a string of them).
  throw course::NotImplemented("8.5", "TcpStream::Read::await_resume");
}

// --- write --------------------------------------------------------------------------------

struct TcpStream::Write::Request {
  uv_write_t write{};
  std::string bytes;
  Write* waiting;  // null once the awaiter is gone
};

TcpStream::Write::Write(TcpStream& stream, std::string bytes)
    : stream_(stream), bytes_(std::move(bytes)) {}

TcpStream::Write::~Write() {
  // TODO(8.5): a write still in flight goes on without us: its request must not resume us.
}

void TcpStream::Write::await_suspend([[maybe_unused]] std::coroutine_handle<> waiting) {
  // TODO(8.5): a Request that owns the bytes and knows who waits (its uv_write_t's data leads to
  // it); uv_write them with on_write; from then on libuv holds the request (in_flight_).
  throw course::NotImplemented("8.5", "TcpStream::Write::await_suspend");
}

void TcpStream::Write::on_write([[maybe_unused]] uv_write_t* write, [[maybe_unused]] int status) {
  // TODO(8.5): the request is ours again (free it); if somebody still waits, it is no longer in
  // flight: give it the status and resume it.
  course::report_not_implemented("8.5", "TcpStream::Write::on_write");
}

void TcpStream::Write::await_resume() const {
  // TODO(8.5): a failed write throws (check).
  throw course::NotImplemented("8.5", "TcpStream::Write::await_resume");
}

// --- connect ------------------------------------------------------------------------------

struct TcpStream::Connect::Request {
  uv_connect_t connect{};
  Connect* waiting;  // null once the awaiter is gone
};

TcpStream::Connect::Connect(Loop& loop, int port) : stream_(loop), port_(port) {}

TcpStream::Connect::~Connect() {
  // TODO(8.5): a connect still in flight must not resume us. (And who frees its request?)
}

void TcpStream::Connect::await_suspend([[maybe_unused]] std::coroutine_handle<> waiting) {
  // TODO(8.5): the address (uv_ip4_addr, "127.0.0.1"); a Request; uv_tcp_connect on stream_
  // with on_connect; libuv holds the request from then on.
  throw course::NotImplemented("8.5", "TcpStream::Connect::await_suspend");
}

void TcpStream::Connect::on_connect([[maybe_unused]] uv_connect_t* connect,
                                    [[maybe_unused]] int status) {
  // TODO(8.5): as on_write.
  course::report_not_implemented("8.5", "TcpStream::Connect::on_connect");
}

TcpStream TcpStream::Connect::await_resume() {
  // TODO(8.5): a failed connect throws (check); else the connected stream.
  throw course::NotImplemented("8.5", "TcpStream::Connect::await_resume");
}

// --- listen and accept --------------------------------------------------------------------

Listener::Listener(Loop& loop) : loop_(loop), tcp_(loop, uv_tcp_init) {
  tcp_.get()->data = this;
  sockaddr_in address{};
  check(uv_ip4_addr("127.0.0.1", 0, &address), "uv_ip4_addr");
  check(uv_tcp_bind(tcp_.get(), reinterpret_cast<const sockaddr*>(&address), 0), "uv_tcp_bind");
  check(uv_listen(reinterpret_cast<uv_stream_t*>(tcp_.get()), SOMAXCONN, &Listener::on_connection),
        "uv_listen");
  sockaddr_storage bound{};
  int length = sizeof bound;
  check(uv_tcp_getsockname(tcp_.get(), reinterpret_cast<sockaddr*>(&bound), &length),
        "uv_tcp_getsockname");
  port_ = ntohs(reinterpret_cast<const sockaddr_in*>(&bound)->sin_port);
}

Listener::Accept Listener::accept() {
  return Accept(*this);
}

void Listener::on_connection([[maybe_unused]] uv_stream_t* stream, [[maybe_unused]] int status) {
  // TODO(8.5): count what arrived (or keep the error); if an Accept waits, it is no longer
  // waiting: resume it. (It takes the connection itself, in await_resume.)
  course::report_not_implemented("8.5", "Listener::on_connection");
}

Listener::Accept::~Accept() {
  // TODO(8.5): cancelled while waiting: the listener must not resume us any more.
}

bool Listener::Accept::await_ready() const noexcept {
  // TODO(8.5): no need to wait when a connection (or an error) is already there.
  return false;
}

void Listener::Accept::await_suspend([[maybe_unused]] std::coroutine_handle<> waiting) {
  // TODO(8.5): remember who waits; the listener knows this Accept waits.
  throw course::NotImplemented("8.5", "Listener::Accept::await_suspend");
}

TcpStream Listener::Accept::await_resume() {
  // TODO(8.5): an error throws (and is forgotten); else a new TcpStream on the listener's loop,
  // uv_accept into it, one fewer waiting.
  throw course::NotImplemented("8.5", "Listener::Accept::await_resume");
}

}  // namespace uvx
