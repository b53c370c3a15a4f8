// Exercise 8.3: a clean shutdown — a signal or another thread stops the server, and the loop
// ends with nothing open.
#include <atomic>
#include <chrono>
#include <csignal>
#include <exception>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <course/testing.hpp>
#include <course/unique_fd.hpp>

#include "echo_clients.hpp"
#include "echo_server.hpp"
#include "loop.hpp"
#include "stop_switch.hpp"
#include "uv_testing.hpp"

namespace {

using namespace std::chrono_literals;
using echo_clients::connect_to;
using echo_clients::receive;
using echo_clients::send_all;
using uv_testing::closes_cleanly;
using uv_testing::ends_by_itself;

// Waits (bounded) until `flag` is set by another thread.
bool wait_for(const std::atomic<bool>& flag, std::chrono::milliseconds limit = 10s) {
  const auto give_up = std::chrono::steady_clock::now() + limit;
  while (!flag.load()) {
    if (std::chrono::steady_clock::now() > give_up) return false;
    std::this_thread::sleep_for(1ms);
  }
  return true;
}

TEST(StopSwitch, ARequestFromAnotherThreadStopsItOnceOnTheLoopsThread) {
  course::set_deadline(10s);
  uvx::Loop loop;
  std::atomic<int> stops = 0;
  std::atomic<bool> stopped = false;
  std::thread::id stopped_on;
  uvx::StopSwitch stop_switch(loop, [&] {
    stopped_on = std::this_thread::get_id();
    ++stops;
    stopped = true;
  });
  std::jthread requester([&] {
    stop_switch.request();
    stop_switch.request();  // coalesced with the first, or after it: either way, one stop
    if (wait_for(stopped, 5s)) stop_switch.request();  // after the stop: nothing happens
  });
  EXPECT_TRUE(ends_by_itself(loop, 3s)) << "after the stop, the switch closes its handles";
  requester.join();
  EXPECT_EQ(stops.load(), 1) << "times on_stop ran, for three requests";
  EXPECT_EQ(stopped_on, std::this_thread::get_id())
      << "on_stop ran on the requesting thread, not the loop's: request() only wakes the loop "
         "(uv_async_send); the loop's thread runs the async's callback";
  EXPECT_TRUE(stop_switch.stopped());
  EXPECT_TRUE(closes_cleanly(loop));
}

// Set when a signal arrives that the StopSwitch does not watch (libuv's handler replaces this
// one for the signals it watches): the test fails instead of the program being killed.
std::atomic<int> unwatched_signal = 0;
extern "C" void note_unwatched(int signal_number) {
  unwatched_signal = signal_number;
}

TEST(StopSwitch, SigintAndSigtermEachStopIt) {
  course::set_deadline(15s);
  for (const int signal_number : {SIGINT, SIGTERM}) {
    SCOPED_TRACE(fmt::format("signal {} ({})", signal_number, ::sigabbrev_np(signal_number)));
    unwatched_signal = 0;
    struct sigaction noting {};
    noting.sa_handler = &note_unwatched;
    ::sigaction(signal_number, &noting, nullptr);
    {
      uvx::Loop loop;
      std::atomic<bool> stopped = false;
      uvx::StopSwitch stop_switch(loop, [&] { stopped = true; });
      // The signal is raised on the loop's thread, in a timer's callback: the kernel runs the
      // handler at once, on that thread. (Sent from another thread — kill(), or pthread_kill() to
      // the loop's thread — it was lost now and then under ThreadSanitizer, which runs handlers
      // late: once in a whole run of the TSan tree's tests.)
      struct Raiser {
        uv_timer_t timer{};
        int signal_number;
      } raiser{{}, signal_number};
      raiser.timer.data = &raiser;
      uv_timer_init(loop.get(), &raiser.timer);
      uv_timer_start(
          &raiser.timer,
          [](uv_timer_t* timer) {
            ::raise(static_cast<Raiser*>(timer->data)->signal_number);
            uv_close(reinterpret_cast<uv_handle_t*>(timer), nullptr);
          },
          1, 0);
      EXPECT_TRUE(ends_by_itself(loop, 3s));
      EXPECT_TRUE(stopped.load()) << "the signal did not stop the switch";
      EXPECT_EQ(unwatched_signal.load(), 0)
          << "the signal arrived and nothing watched it: uv_signal_start a handle for it";
      EXPECT_TRUE(closes_cleanly(loop));
    }
    ::signal(signal_number, SIG_DFL);
  }
}

// Runs the loop on this thread and `clients` on another, until the loop ends by itself. If it
// does not within the deadline (or is stopped early), `rescue` (on the loop's thread) closes what
// is open and the clients are cut (OpenClients), so that they fail at once instead of waiting for
// their timeouts. Rethrows what the clients threw.
template <class Clients, class Rescue>
void serve_until_the_loop_ends(uvx::Loop& loop, Clients clients, Rescue rescue) {
  echo_clients::OpenClients::of_this_test().begin();
  std::exception_ptr failed;
  std::jthread client_thread([&] {
    try {
      clients();
    } catch (...) {
      failed = std::current_exception();
    }
  });
  const auto ended = ends_by_itself(loop, 5s);
  EXPECT_TRUE(ended);
  if (!ended) {
    rescue();
    echo_clients::OpenClients::of_this_test().cut();
  }
  client_thread.join();
  if (!ended) uv_testing::settle(loop);
  if (failed) std::rethrow_exception(failed);
}

constexpr int kClients = 20;

TEST(EchoServer, AShutdownClosesEveryConnectionAndStopsAccepting) {
  course::set_deadline(30s);
  uvx::Loop loop;
  std::optional<uvx::EchoServer> server(std::in_place, loop);
  const int port = server->listen();
  std::optional<uvx::StopSwitch> stop_switch(std::in_place, loop, [&] { server->shutdown(); });
  serve_until_the_loop_ends(
      loop,
      [&] {
        std::vector<echo_clients::Client> clients;
        for (int i = 0; i < kClients; ++i) {
          clients.push_back(connect_to(port));
          const std::string hello = fmt::format("hello from {}", i);
          send_all(clients.back(), hello);
          ASSERT_EQ(receive(clients.back(), hello.size()), hello);
        }
        stop_switch->request();  // with all 20 connected and idle
        int not_closed = 0;
        for (const auto& client : clients) {
          // The end of file: receive gives nothing (a server that never closes the connection
          // makes it throw after 5 s).
          if (!receive(client, 1).empty()) ++not_closed;
        }
        EXPECT_EQ(not_closed, 0) << "clients that got bytes instead of the end of file";
        bool connected = false;
        try {
          const auto late = connect_to(port);
          connected = true;
        } catch (const std::exception&) {
          // refused: the listener is closed
        }
        EXPECT_FALSE(connected) << "a client could still connect after the shutdown: close the "
                                   "listener first";
      },
      [&] {
        stop_switch.reset();
        server.reset();
      });
  if (server) {
    EXPECT_EQ(server->stats().accepted, static_cast<std::size_t>(kClients));
    EXPECT_EQ(server->stats().open, 0U) << "connections the shutdown left open";
  }
  stop_switch.reset();
  server.reset();
  EXPECT_TRUE(closes_cleanly(loop));
}

// A client sends 8 MiB and reads nothing until the server has shut down: the server has read it
// all, and most of its echo is still waiting to be written — in libuv's queue, behind the
// client's full socket buffers (its receive buffer is made small). A clean shutdown writes it
// all, then sends the end of file. Closing at once (uv_close) cancels the queued writes.
constexpr std::size_t kTotal = 8 * 1024 * 1024;

TEST(EchoServer, AShutdownLetsTheWritesInFlightFinish) {
  course::set_deadline(30s);
  uvx::Loop loop;
  uvx::EchoServer::Options options;
  options.max_buffered_bytes = 4 * kTotal;  // no back-pressure: the server reads everything
  std::optional<uvx::EchoServer> server(std::in_place, loop, options);
  const int port = server->listen();
  std::atomic<bool> shut_down = false;
  uvx::EchoServer::Stats at_shutdown;
  // On the loop's thread: once every byte has been read, shut down — with writes still queued.
  struct Poll {
    uv_timer_t timer{};
    std::function<void()> tick;
  } poll;
  poll.timer.data = &poll;
  poll.tick = [&] {
    if (server->stats().bytes_received < kTotal) return;
    at_shutdown = server->stats();
    server->shutdown();
    shut_down = true;
    uv_close(reinterpret_cast<uv_handle_t*>(&poll.timer), nullptr);
  };
  uv_timer_init(loop.get(), &poll.timer);
  uv_timer_start(
      &poll.timer, [](uv_timer_t* timer) { static_cast<Poll*>(timer->data)->tick(); }, 1, 1);

  std::string message;
  while (message.size() < kTotal) message += fmt::format("<byte {}>", message.size());
  message.resize(kTotal);
  std::string echoed;
  std::string after_the_echo = "(not read)";
  serve_until_the_loop_ends(
      loop,
      [&] {
        const auto client = connect_to(port);
        const int small = 32 * 1024;
        ::setsockopt(client.get(), SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
        send_all(client, message);
        ASSERT_TRUE(wait_for(shut_down)) << "the server never read all 8 MiB";
        echoed = receive(client, kTotal);
        after_the_echo = receive(client, 1);
      },
      [&] {
        if (!shut_down) uv_close(reinterpret_cast<uv_handle_t*>(&poll.timer), nullptr);
        server.reset();
      });
  ASSERT_TRUE(shut_down.load());
  ASSERT_LT(at_shutdown.bytes_echoed, kTotal)
      << "(the test's own check) every write had completed before the shutdown: the test could "
         "not leave writes in flight";
  EXPECT_EQ(echoed.size(), kTotal)
      << "bytes of the echo that reached the client; " << (kTotal - at_shutdown.bytes_echoed)
      << " were still to be written when the shutdown began. uv_close cancels writes in "
         "flight: stop reading, uv_shutdown (it waits for the queued writes, then sends the end "
         "of file), and close in its callback";
  EXPECT_TRUE(echoed == message) << "the echo came back changed";
  EXPECT_EQ(after_the_echo, "") << "after the echo, the end of file";
  if (server) {
    EXPECT_EQ(server->stats().open, 0U);
  }
  server.reset();
  EXPECT_TRUE(closes_cleanly(loop));
}

}  // namespace
