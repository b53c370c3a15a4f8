#include "co_echo_server.hpp"

#include <algorithm>
#include <string>
#include <utility>

#include "uv_error.hpp"

namespace uvx {

CoEchoServer::CoEchoServer(Loop& loop, Options options) : loop_(loop), options_(options) {}

int CoEchoServer::listen() {
  listener_.emplace(loop_);
  tasks_.spawn(accept_clients());
  return listener_->port();
}

Task<void> CoEchoServer::accept_clients() {
  for (;;) tasks_.spawn(serve(co_await listener_->accept()));
}

Task<void> CoEchoServer::serve(TcpStream client) {
  ++stats_.accepted;
  // Open while this frame lives: counted down however the task ends — at the end of the
  // stream, on an error, or cancelled.
  class Open {
   public:
    explicit Open(std::size_t& open) : open_(open) { ++open_; }
    Open(const Open&) = delete;
    Open& operator=(const Open&) = delete;
    ~Open() { --open_; }

   private:
    std::size_t& open_;
  } const counted(stats_.open);
  try {
    for (;;) {
      std::string bytes = co_await client.read(options_.max_buffered_bytes);
      if (bytes.empty()) break;  // the client is done sending
      const std::size_t size = bytes.size();
      stats_.bytes_received += size;
      stats_.most_buffered = std::max(stats_.most_buffered, size);
      co_await client.write(std::move(bytes));  // not reading meanwhile: back-pressure
      stats_.bytes_echoed += size;
    }
  } catch (const UvError&) {
    // The client went away (a reset, a broken pipe): that ends this client only.
  }
}  // `client` closes here

}  // namespace uvx
