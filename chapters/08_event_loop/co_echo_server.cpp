#include "co_echo_server.hpp"

#include <algorithm>
#include <string>
#include <utility>

#include <course/not_implemented.hpp>

#include "uv_error.hpp"

namespace uvx {

CoEchoServer::CoEchoServer(Loop& loop, Options options) : loop_(loop), options_(options) {}

int CoEchoServer::listen() {
  // TODO(8.6): the listener (on the loop), the accepting task spawned, the listener's port.
  throw course::NotImplemented("8.6", "CoEchoServer::listen");
}

Task<void> CoEchoServer::accept_clients() {
  // TODO(8.6): a coroutine: for ever, accept a client and spawn a task that serves it.
  throw course::NotImplemented("8.6", "CoEchoServer::accept_clients");
}

Task<void> CoEchoServer::serve([[maybe_unused]] TcpStream client) {
  // TODO(8.6): a coroutine that reads like blocking code: read at most max_buffered_bytes; at
  // the end of the stream stop; write the echo; again. Count in stats_ (accepted, open — also
  // when the task ends by an error or is cancelled —, bytes received and echoed, most buffered).
  // A UvError (the client went away) ends this client only.
  throw course::NotImplemented("8.6", "CoEchoServer::serve");
}

}  // namespace uvx
