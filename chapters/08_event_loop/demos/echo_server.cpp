// The echo server of exercises 8.2 and 8.3, stopped cleanly.
//
//   $ build/demos/08_event_loop/echo_server           100 clients of its own, then a stop
//   $ build/demos/08_event_loop/echo_server --serve   serves until Ctrl-C (try: nc 127.0.0.1 PORT)
//
// Without --serve, a thread beside the loop connects 100 clients, has each one's bytes echoed,
// and asks the server to stop from that thread (uv_async_send); the loop then ends by itself.
#include "echo_server.hpp"

#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fmt/format.h>

#include <course/demo.hpp>
#include <course/unique_fd.hpp>

#include "loop.hpp"
#include "stop_switch.hpp"

namespace {

course::UniqueFd connect_to(int port) {
  course::UniqueFd socket(::socket(AF_INET, SOCK_STREAM, 0));
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (socket.get() < 0 ||
      ::connect(socket.get(), reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
    throw std::runtime_error(fmt::format("connect: {}", std::strerror(errno)));
  }
  return socket;
}

// One round trip per client, all 100 connected at once; gives how many came back intact.
int hundred_clients(int port) {
  std::vector<course::UniqueFd> clients;
  for (int i = 0; i < 100; ++i) clients.push_back(connect_to(port));
  int intact = 0;
  for (std::size_t i = 0; i < clients.size(); ++i) {
    const std::string message = fmt::format("hello from client {}\n", i);
    if (::send(clients[i].get(), message.data(), message.size(), MSG_NOSIGNAL) < 0) continue;
    std::string echoed(message.size(), '\0');
    std::size_t got = 0;
    while (got < echoed.size()) {
      const ssize_t n = ::recv(clients[i].get(), echoed.data() + got, echoed.size() - got, 0);
      if (n <= 0) break;
      got += static_cast<std::size_t>(n);
    }
    if (echoed == message) ++intact;
  }
  return intact;
}

}  // namespace

int main(int argc, char** argv) {
  const bool serve = argc > 1 && std::string_view(argv[1]) == "--serve";
  return course::run_demo([serve] {
    uvx::Loop loop;
    {
      uvx::EchoServer server(loop);
      const int port = server.listen();
      uvx::StopSwitch stop_switch(loop, [&server] {
        fmt::print("stop: no more connections; the open ones get their echo, then the end\n");
        server.shutdown();
      });
      fmt::print("echo server on 127.0.0.1:{}, one thread\n", port);
      std::jthread clients;
      if (serve) {
        fmt::print("try: nc 127.0.0.1 {}    (Ctrl-C stops the server)\n", port);
        std::fflush(stdout);  // shown now, even through a pipe
      } else {
        clients = std::jthread([port, &stop_switch] {
          const int intact = hundred_clients(port);
          fmt::print("100 clients connected at once: {} got their own bytes back\n", intact);
          stop_switch.request();  // from this thread: the loop runs the stop
        });
      }
      loop.run();  // ends by itself once the server and the switch have closed everything
      const auto& stats = server.stats();
      fmt::print("the loop ended: {} connections accepted, {} bytes echoed, {} still open\n",
                 stats.accepted, stats.bytes_echoed, stats.open);
    }
    loop.run();
    fmt::print("uv_loop_close: {}\n", loop.close() == 0 ? "0, every handle closed" : "busy");
  });
}
