// The tests of an echo server, written once for any server with EchoServer's interface
// (Options, listen(), stats(), closing everything when destroyed): 8.2's server with callbacks
// and 8.6's, a coroutine per connection, pass the same ones.
#pragma once

#include <algorithm>
#include <chrono>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <course/testing.hpp>

#include "echo_clients.hpp"
#include "loop.hpp"
#include "uv_testing.hpp"

namespace echo_server_tests {

using echo_clients::beside_the_loop;
using echo_clients::connect_to;
using echo_clients::receive;
using echo_clients::send_all;
using uv_testing::closes_cleanly;

// A server on `loop`, clients beside it; gives the server's stats at the end.
template <class Server, class Clients>
typename Server::Stats serve(Clients clients, typename Server::Options options = {}) {
  uvx::Loop loop;
  std::optional<Server> server(std::in_place, loop, options);
  const int port = server->listen();
  typename Server::Stats stats;
  beside_the_loop(loop, port, clients, [&] {
    stats = server->stats();
    server.reset();  // closes the listener and every connection
  });
  EXPECT_TRUE(closes_cleanly(loop));
  return stats;
}

template <class Server>
void one_client_gets_its_bytes_back() {
  course::set_deadline(std::chrono::seconds(10));
  const auto stats = serve<Server>([](int port) {
    const auto client = connect_to(port);
    send_all(client, "hello, loop");
    EXPECT_EQ(receive(client, 11), "hello, loop");
  });
  EXPECT_EQ(stats.accepted, 1U);
  EXPECT_EQ(stats.bytes_received, 11U);
}

// What client `i` sends: its own bytes, so that a mix-up between clients shows.
inline std::string message_of(int i, std::size_t size) {
  std::string message;
  while (message.size() < size) message += fmt::format("<client {} byte {}>", i, message.size());
  message.resize(size);
  return message;
}

template <class Server>
void five_hundred_clients_at_once_each_get_their_own_bytes() {
  static constexpr int kClients = 500;
  static constexpr std::size_t kSize = 3000;
  course::set_deadline(std::chrono::seconds(30));
  echo_clients::allow_sockets(kClients);
  const auto stats = serve<Server>([](int port) {
    std::vector<echo_clients::Client> clients;
    for (int i = 0; i < kClients; ++i) clients.push_back(connect_to(port));
    // Every client sends its message in three pieces, all before any reads: the server has 500
    // connections open at once, and gets each message in parts.
    for (std::size_t from = 0; from < kSize; from += 1000) {
      for (int i = 0; i < kClients; ++i) {
        send_all(clients[static_cast<std::size_t>(i)], message_of(i, kSize).substr(from, 1000));
      }
    }
    int wrong = 0;
    for (int i = 0; i < kClients; ++i) {
      const std::string echoed = receive(clients[static_cast<std::size_t>(i)], kSize);
      if (echoed != message_of(i, kSize) && wrong++ < 3) {
        ADD_FAILURE() << "client " << i << " got " << echoed.size() << " bytes back, not its own "
                      << kSize << (echoed.empty() ? "" : ": they begin " + echoed.substr(0, 40));
      }
    }
    EXPECT_EQ(wrong, 0) << "clients whose bytes did not all come back, in order";
  });
  EXPECT_EQ(stats.accepted, static_cast<std::size_t>(kClients));
  EXPECT_EQ(stats.bytes_received, kClients * kSize);
  EXPECT_EQ(stats.bytes_echoed, kClients * kSize);
}

template <class Server>
void a_client_that_hangs_up_costs_only_itself() {
  course::set_deadline(std::chrono::seconds(10));
  const auto stats = serve<Server>([](int port) {
    {
      const auto quitter = connect_to(port);
      send_all(quitter, "half a mess");
    }  // closed without reading its echo
    const auto client = connect_to(port);
    send_all(client, "still here");
    EXPECT_EQ(receive(client, 10), "still here");
  });
  EXPECT_EQ(stats.accepted, 2U);
  // The quitter's end of file was there before the second client's bytes: the turn of the
  // loop that echoed them had seen it too.
  EXPECT_LE(stats.open, 1U) << "the client that hung up is still open on the server: at the end "
                               "of its stream (UV_EOF), its connection must be closed";
}

// A client that sends 4 MiB from one thread and reads the echo on another, late and through a
// small buffer: the server's writes to it have to wait for the client's socket (uv_write queues
// them), and a queued write's bytes must still be there when libuv gets to them.
template <class Server>
void a_large_echo_that_has_to_wait_comes_back_intact() {
  static constexpr std::size_t kLarge = 4 * 1024 * 1024;
  course::set_deadline(std::chrono::seconds(20));
  serve<Server>([](int port) {
    const auto client = connect_to(port);
    // A small receive buffer, and a late reader: the echo fills the client's socket at once.
    const int small = 32 * 1024;
    ::setsockopt(client.get(), SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
    const std::string message = message_of(7, kLarge);
    std::jthread sender([&] {
      try {
        send_all(client, message);
      } catch (const std::exception&) {
        // The server closed the connection: what came back is checked below.
      }
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    const std::string echoed = receive(client, kLarge);
    ASSERT_EQ(echoed.size(), kLarge) << "the whole echo came back";
    const auto first_wrong = std::mismatch(echoed.begin(), echoed.end(), message.begin()).first;
    EXPECT_TRUE(first_wrong == echoed.end())
        << "the echo differs from byte " << (first_wrong - echoed.begin())
        << " on: a write that had to wait sent bytes that were no longer there — the buffer of a "
           "uv_write must live until its callback";
  });
}

// A client that sends and never reads: its echo fills the socket's buffers, the server's writes
// to it stop completing, and the server must stop reading from it instead of buffering what it
// sends without bound. Meanwhile another client is served as if nothing happened.
template <class Server>
void a_client_that_never_reads_stalls_nobody_and_is_buffered_within_the_limit() {
  static constexpr std::size_t kFlood = 16 * 1024 * 1024;
  course::set_deadline(std::chrono::seconds(20));
  typename Server::Options options;
  options.max_buffered_bytes = 256 * 1024;
  const auto stats = serve<Server>(
      [](int port) {
        const auto flooder = connect_to(port);
        // A thread sends 16 MiB and never reads; its send blocks once every buffer is full.
        std::jthread flood([&flooder] {
          const std::string chunk(64 * 1024, 'x');
          std::size_t sent = 0;
          while (sent < kFlood) {
            const ssize_t n = ::send(flooder.get(), chunk.data(), chunk.size(), MSG_NOSIGNAL);
            if (n <= 0) return;  // the server closed it at the end
            sent += static_cast<std::size_t>(n);
          }
        });
        std::this_thread::sleep_for(std::chrono::milliseconds(200));  // the buffers fill
        const auto client = connect_to(port);
        for (int round = 0; round < 20; ++round) {
          const std::string message = fmt::format("round {}", round);
          send_all(client, message);
          EXPECT_EQ(receive(client, message.size()), message) << "beside a client that never reads";
        }
        ::shutdown(flooder.get(), SHUT_RDWR);  // lets the flooding thread end
      },
      options);
  // A server with callbacks counts the times it stopped reading (8.2); a coroutine server stops
  // after every read until its echo is written (8.6), and has no such count.
  if constexpr (requires { stats.read_pauses; }) {
    EXPECT_GE(stats.read_pauses, 1U) << "the server never stopped reading from the flooding client";
    EXPECT_GE(stats.most_buffered, options.max_buffered_bytes)
        << "the most bytes one client had waiting: reading stops only past the limit, so at least "
           "that much was buffered for the flooder — is most_buffered kept up to date?";
  } else {
    EXPECT_GT(stats.most_buffered, 0U) << "most_buffered is never updated";
  }
  EXPECT_LE(stats.most_buffered, options.max_buffered_bytes + 256 * 1024)
      << "bytes buffered for one client that never reads: past the limit, stop reading from it "
         "(uv_read_stop) until its writes drain";
}

}  // namespace echo_server_tests
