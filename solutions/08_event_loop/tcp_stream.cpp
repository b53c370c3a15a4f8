#include "tcp_stream.hpp"

#include <memory>
#include <utility>

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
  // Cancelled while waiting: libuv would call on_read with `this` gone. Stopping the read is
  // enough: libuv calls no read callback of a stopped stream.
  if (pending_) {
    uv_read_stop(stream_.stream());
    stream_.stream()->data = nullptr;
  }
}

void TcpStream::Read::await_suspend(std::coroutine_handle<> waiting) {
  waiting_ = waiting;
  stream_.stream()->data = this;
  check(uv_read_start(stream_.stream(), &Read::on_alloc, &Read::on_read), "uv_read_start");
  pending_ = true;
}

void TcpStream::Read::on_alloc(uv_handle_t* handle, std::size_t /*suggested*/, uv_buf_t* buffer) {
  auto* const read = static_cast<Read*>(handle->data);
  // Only now, with bytes to read: a waiting read holds no buffer. Uninitialised: libuv fills it.
  if (!read->buffer_) read->buffer_ = std::make_unique_for_overwrite<char[]>(read->at_most_);
  *buffer = uv_buf_init(read->buffer_.get(), static_cast<unsigned>(read->at_most_));
}

void TcpStream::Read::on_read(uv_stream_t* stream, ssize_t status, const uv_buf_t* /*buffer*/) {
  if (status == 0) return;  // nothing this time (EAGAIN): libuv reads again
  auto* const read = static_cast<Read*>(stream->data);
  // One chunk per co_await: stop reading until the coroutine asks again. What arrives meanwhile
  // waits in the kernel — libuv pushes, a coroutine pulls, and the gap is back-pressure.
  uv_read_stop(stream);
  stream->data = nullptr;
  read->pending_ = false;
  read->status_ = status;
  read->waiting_.resume();  // the coroutine goes on, and may destroy `read`: nothing after this
}

std::string TcpStream::Read::await_resume() {
  if (status_ == UV_EOF) return {};
  check(static_cast<int>(status_), "reading");
  return {buffer_.get(), static_cast<std::size_t>(status_)};
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
  // Cancelled while libuv still writes: the request (and its bytes) live on until on_write, which
  // then resumes nobody.
  if (in_flight_ != nullptr) in_flight_->waiting = nullptr;
}

void TcpStream::Write::await_suspend(std::coroutine_handle<> waiting) {
  waiting_ = waiting;
  auto request = std::make_unique<Request>();
  request->bytes = std::move(bytes_);
  request->waiting = this;
  request->write.data = request.get();
  const uv_buf_t buffer =
      uv_buf_init(request->bytes.data(), static_cast<unsigned>(request->bytes.size()));
  check(uv_write(&request->write, stream_.stream(), &buffer, 1, &Write::on_write), "uv_write");
  in_flight_ = request.release();  // libuv's now, until on_write
}

void TcpStream::Write::on_write(uv_write_t* write, int status) {
  const std::unique_ptr<Request> request(static_cast<Request*>(write->data));
  Write* const waiting = request->waiting;
  if (waiting == nullptr) return;  // cancelled: the bytes go with the request, nobody to resume
  waiting->in_flight_ = nullptr;
  waiting->status_ = status;
  waiting->waiting_.resume();
}

void TcpStream::Write::await_resume() const {
  check(status_, "writing");
}

// --- connect ------------------------------------------------------------------------------

struct TcpStream::Connect::Request {
  uv_connect_t connect{};
  Connect* waiting;  // null once the awaiter is gone
};

TcpStream::Connect::Connect(Loop& loop, int port) : stream_(loop), port_(port) {}

TcpStream::Connect::~Connect() {
  // Cancelled while connecting: stream_ closes after this (a member), and closing cancels the
  // connect — libuv calls on_connect with UV_ECANCELED, which frees the request.
  if (in_flight_ != nullptr) in_flight_->waiting = nullptr;
}

void TcpStream::Connect::await_suspend(std::coroutine_handle<> waiting) {
  waiting_ = waiting;
  sockaddr_in address{};
  check(uv_ip4_addr("127.0.0.1", port_, &address), "uv_ip4_addr");
  auto request = std::make_unique<Request>();
  request->waiting = this;
  request->connect.data = request.get();
  check(uv_tcp_connect(&request->connect, stream_.tcp(),
                       reinterpret_cast<const sockaddr*>(&address), &Connect::on_connect),
        "uv_tcp_connect");
  in_flight_ = request.release();
}

void TcpStream::Connect::on_connect(uv_connect_t* connect, int status) {
  const std::unique_ptr<Request> request(static_cast<Request*>(connect->data));
  Connect* const waiting = request->waiting;
  if (waiting == nullptr) return;
  waiting->in_flight_ = nullptr;
  waiting->status_ = status;
  waiting->waiting_.resume();
}

TcpStream TcpStream::Connect::await_resume() {
  check(status_, "connecting");
  return std::move(stream_);
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

void Listener::on_connection(uv_stream_t* stream, int status) {
  auto* const listener = static_cast<Listener*>(stream->data);
  if (status < 0) {
    listener->error_ = status;
  } else {
    ++listener->arrived_;
  }
  // Whoever waits takes it (in await_resume); with nobody waiting it stays in the backlog.
  if (Accept* const accepting = std::exchange(listener->accepting_, nullptr)) {
    accepting->waiting_.resume();
  }
}

Listener::Accept::~Accept() {
  if (listener_.accepting_ == this) listener_.accepting_ = nullptr;
}

bool Listener::Accept::await_ready() const noexcept {
  return listener_.arrived_ > 0 || listener_.error_ != 0;
}

void Listener::Accept::await_suspend(std::coroutine_handle<> waiting) {
  waiting_ = waiting;
  listener_.accepting_ = this;
}

TcpStream Listener::Accept::await_resume() {
  check(std::exchange(listener_.error_, 0), "accepting");
  TcpStream stream(listener_.loop_);
  --listener_.arrived_;
  check(uv_accept(reinterpret_cast<uv_stream_t*>(listener_.tcp_.get()), stream.stream()),
        "uv_accept");
  return stream;
}

}  // namespace uvx
