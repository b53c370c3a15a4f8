// Exercise 8.5: coroutines on libuv — awaitables that libuv's callbacks resume, cancellable
// without a callback left dangling; run, gather and a task group on a uv loop.
//
// Cancelling a task destroys its frame where it waits. An awaiter that does not let go of libuv
// then gets a callback after its frame is gone: the given Task overwrites a freed frame, so
// resuming it crashes at once (AddressSanitizer's tree reports the use after free and where).
#include <chrono>
#include <cstdint>
#include <exception>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <uv.h>

#include <course/testing.hpp>

#include "gather.hpp"
#include "loop.hpp"
#include "run.hpp"
#include "sleep.hpp"
#include "task.hpp"
#include "task_group.hpp"
#include "tcp_stream.hpp"
#include "uv_error.hpp"
#include "uv_testing.hpp"

namespace {

using namespace std::chrono_literals;
using uv_testing::closes_cleanly;
using uv_testing::Strings;
using uvx::Task;
using uvx::TcpStream;

// The test's own driver, so that a task that waits for ever fails its test in two seconds
// instead of hanging it: like uvx::run, with a limit. A task still waiting at the limit is
// cancelled (destroyed) and the failure says so. Gives whether the task finished; its result is
// then the task's to give.
template <class T>
::testing::AssertionResult finishes(uvx::Loop& loop, Task<T>& task,
                                    std::chrono::milliseconds limit = 2s) {
  // An unreferenced repeating timer wakes uv_run now and then, so that the limit is looked at
  // even while nothing happens; it does not itself keep the loop alive.
  uv_timer_t tick{};
  uv_timer_init(loop.get(), &tick);
  uv_timer_start(
      &tick, [](uv_timer_t*) {}, 50, 50);
  uv_unref(reinterpret_cast<uv_handle_t*>(&tick));
  const auto give_up = std::chrono::steady_clock::now() + limit;
  task.start();
  bool dry = false;
  while (!task.done() && std::chrono::steady_clock::now() < give_up) {
    if (uv_run(loop.get(), UV_RUN_ONCE) == 0 && !task.done()) {
      dry = true;
      break;
    }
  }
  uv_close(reinterpret_cast<uv_handle_t*>(&tick), nullptr);
  uv_run(loop.get(), UV_RUN_NOWAIT);  // the tick's close callback
  if (task.done()) return ::testing::AssertionSuccess();
  task = {};  // cancelled where it waits
  return ::testing::AssertionFailure()
         << (dry ? std::string("the loop ran out of work")
                 : fmt::format("after {} ms", limit.count()))
         << " the task was still waiting: an awaiter never resumed it (did its libuv callback "
            "run, and call resume() on the handle await_suspend was given?)";
}

// After a test: the close callbacks run, then the loop must close with nothing open.
::testing::AssertionResult ends_clean(uvx::Loop& loop) {
  uv_testing::settle(loop);
  return closes_cleanly(loop);
}

// ---- sleep, gather, run ------------------------------------------------------------------

TEST(CoSleep, ThreeSleepingTasksWaitAtTheSameTime) {
  course::set_deadline(5s);
  uvx::Loop loop;
  Strings trace;
  auto sleeper = [&](std::string name, std::chrono::milliseconds nap) -> Task<std::string> {
    trace.push_back(name + " sleeps");
    co_await uvx::sleep(loop, nap);
    trace.push_back(name + " wakes");
    co_return name;
  };
  std::vector<Task<std::string>> sleepers;
  sleepers.push_back(sleeper("a", 60ms));
  sleepers.push_back(sleeper("b", 20ms));
  sleepers.push_back(sleeper("c", 40ms));
  uv_update_time(loop.get());
  const std::uint64_t began = uv_now(loop.get());
  Task<std::vector<std::string>> all = uvx::gather(std::move(sleepers));
  ASSERT_TRUE(finishes(loop, all));
  uv_update_time(loop.get());
  const std::uint64_t took = uv_now(loop.get()) - began;
  EXPECT_EQ(all.result(), (Strings{"a", "b", "c"})) << "gather's results, in the tasks' order";
  EXPECT_EQ(trace, (Strings{"a sleeps", "b sleeps", "c sleeps", "b wakes", "c wakes", "a wakes"}))
      << "gather starts every task before it awaits any, and the shortest nap ends first: one "
         "after another, a would wake first";
  EXPECT_GE(took, 60U) << "ms for naps of 60, 20 and 40 ms at once: the longest must be slept";
  EXPECT_TRUE(ends_clean(loop));
}

TEST(CoSleep, ACancelledSleepNeverResumesItsTask) {
  course::set_deadline(5s);
  uvx::Loop loop;
  bool woke = false;
  auto sleeper = [&]() -> Task<void> {
    co_await uvx::sleep(loop, 20ms);
    woke = true;
  };
  auto scenario = [&]() -> Task<void> {
    Task<void> sleeping = sleeper();
    sleeping.start();
    co_await uvx::sleep(loop, 5ms);
    sleeping = {};  // cancelled, 15 ms before its timer is due
    co_await uvx::sleep(loop, 40ms);
  };
  Task<void> task = scenario();
  ASSERT_TRUE(finishes(loop, task));
  task.result();
  EXPECT_FALSE(woke) << "a task cancelled while it slept went on after its sleep: its timer was "
                        "still running — the Sleep must close it when it is destroyed";
  EXPECT_TRUE(ends_clean(loop)) << "the cancelled sleep's timer must be closed";
}

TEST(CoRun, GivesTheTasksValueOrRethrowsItsException) {
  course::set_deadline(5s);
  uvx::Loop loop;
  auto answer = [&]() -> Task<int> {
    co_await uvx::sleep(loop, 1ms);
    co_return 42;
  };
  EXPECT_EQ(uvx::run(loop, answer()), 42);
  auto failing = [&]() -> Task<int> {
    co_await uvx::sleep(loop, 1ms);
    throw std::runtime_error("no answer today");
  };
  try {
    uvx::run(loop, failing());
    ADD_FAILURE() << "run gave a value for a task that threw";
  } catch (const std::runtime_error& error) {
    EXPECT_STREQ(error.what(), "no answer today");
  }
  EXPECT_TRUE(ends_clean(loop));
}

TEST(CoRun, ATaskThatWaitsForWhatNoHandleWillDoIsAnErrorNotAHang) {
  course::set_deadline(5s);
  uvx::Loop loop;
  auto forgotten = []() -> Task<void> {
    co_await std::suspend_always{};  // nothing of the loop's will ever resume this
  };
  EXPECT_THROW(uvx::run(loop, forgotten()), std::logic_error)
      << "with nothing active, uv_run returns 0 at once: run must stop there and say why";
  EXPECT_TRUE(ends_clean(loop));
}

TEST(CoGather, AnErrorIsRethrownOnceEveryTaskHasEnded) {
  course::set_deadline(5s);
  uvx::Loop loop;
  Strings trace;
  auto failing = [&]() -> Task<int> {
    co_await uvx::sleep(loop, 5ms);
    trace.push_back("a fails");
    throw std::runtime_error("a failed");
  };
  auto slow = [&]() -> Task<int> {
    co_await uvx::sleep(loop, 30ms);
    trace.push_back("b ends");
    co_return 2;
  };
  auto scenario = [&]() -> Task<void> {
    std::vector<Task<int>> tasks;
    tasks.push_back(failing());
    tasks.push_back(slow());
    try {
      (void)co_await uvx::gather(std::move(tasks));
      trace.push_back("gather gave results");
    } catch (const std::runtime_error& error) {
      trace.push_back(fmt::format("gather threw: {}", error.what()));
    }
    // Nothing at all: gather of no tasks is done at once.
    const std::vector<int> none = co_await uvx::gather(std::vector<Task<int>>{});
    trace.push_back(fmt::format("{} results of none", none.size()));
  };
  Task<void> task = scenario();
  ASSERT_TRUE(finishes(loop, task));
  task.result();
  EXPECT_EQ(trace, (Strings{"a fails", "b ends", "gather threw: a failed", "0 results of none"}))
      << "gather waits for every task — b too — then rethrows the first error";
  EXPECT_TRUE(ends_clean(loop));
}

// ---- TCP: connect, accept, read, write ---------------------------------------------------

TEST(CoTcp, AClientAndAServerTaskTalkOnOneLoop) {
  course::set_deadline(5s);
  uvx::Loop loop;
  uvx::Listener listener(loop);
  auto server = [&]() -> Task<std::string> {
    TcpStream connection = co_await listener.accept();
    std::string heard;
    for (std::string bytes; !(bytes = co_await connection.read()).empty();) {
      heard += bytes;
      co_await connection.write(bytes);  // the echo
    }
    co_return heard;  // the client closed: the end of the stream
  };
  auto client = [&]() -> Task<std::string> {
    TcpStream connection = co_await TcpStream::connect(loop, listener.port());
    co_await connection.write("hello, ");
    co_await connection.write("coroutines");
    std::string echoed;
    while (echoed.size() < 17) {
      const std::string bytes = co_await connection.read();
      if (bytes.empty()) break;
      echoed += bytes;
    }
    co_return echoed;  // `connection` closes here: the server reads the end of the stream
  };
  std::vector<Task<std::string>> both;
  both.push_back(server());
  both.push_back(client());
  Task<std::vector<std::string>> talk = uvx::gather(std::move(both));
  ASSERT_TRUE(finishes(loop, talk));
  EXPECT_EQ(talk.result(), (Strings{"hello, coroutines", "hello, coroutines"}))
      << "what the server heard, and what the client got back";
  listener.close();
  EXPECT_TRUE(ends_clean(loop));
}

// A pair of connected streams on `loop`, for the tests below: made by a connect and an accept.
struct Pair {
  std::optional<TcpStream> client;
  std::optional<TcpStream> server;
};

Task<void> connect_pair(uvx::Loop& loop, uvx::Listener& listener, Pair& pair) {
  pair.client.emplace(co_await TcpStream::connect(loop, listener.port()));
  pair.server.emplace(co_await listener.accept());
}

TEST(CoTcp, AReadGivesAtMostWhatItWasAskedForThenTheEnd) {
  course::set_deadline(5s);
  uvx::Loop loop;
  uvx::Listener listener(loop);
  Pair pair;
  Strings chunks;
  auto scenario = [&]() -> Task<void> {
    co_await connect_pair(loop, listener, pair);
    co_await pair.client->write("one");
    co_await pair.client->write("two three");
    co_await uvx::sleep(loop, 5ms);
    pair.client.reset();  // the end of the stream
    for (;;) {
      std::string chunk = co_await pair.server->read(4);
      chunks.push_back(chunk);
      if (chunk.empty() || chunks.size() > 20) break;
    }
  };
  Task<void> task = scenario();
  ASSERT_TRUE(finishes(loop, task));
  task.result();
  std::string all;
  for (const auto& chunk : chunks) {
    EXPECT_LE(chunk.size(), 4U) << "a read(4) gave \"" << chunk << "\"";
    all += chunk;
  }
  EXPECT_EQ(all, "onetwo three") << "every byte, in order, across reads of at most 4";
  ASSERT_FALSE(chunks.empty());
  EXPECT_EQ(chunks.back(), "") << "after the last bytes, the end of the stream: an empty read";
  pair.server.reset();
  listener.close();
  EXPECT_TRUE(ends_clean(loop));
}

TEST(CoTcp, ACancelledReadNeverResumesAndTheStreamReadsOnAfterIt) {
  course::set_deadline(5s);
  uvx::Loop loop;
  uvx::Listener listener(loop);
  Pair pair;
  bool resumed = false;
  std::string later;
  auto reader = [&]() -> Task<void> {
    (void)co_await pair.server->read();
    resumed = true;
  };
  auto scenario = [&]() -> Task<void> {
    co_await connect_pair(loop, listener, pair);
    Task<void> waiting = reader();
    waiting.start();
    co_await uvx::sleep(loop, 5ms);
    waiting = {};  // cancelled while it waits to read
    co_await pair.client->write("late");
    co_await uvx::sleep(loop, 5ms);  // the bytes arrive: nobody reads now
    later = co_await pair.server->read();
  };
  Task<void> task = scenario();
  ASSERT_TRUE(finishes(loop, task));
  task.result();
  EXPECT_FALSE(resumed) << "the cancelled reader was resumed: its read was not stopped";
  EXPECT_EQ(later, "late") << "the next read of the stream, after a cancelled one";
  pair = {};
  listener.close();
  EXPECT_TRUE(ends_clean(loop));
}

constexpr std::size_t kLarge = 8 * 1024 * 1024;

TEST(CoTcp, ACancelledWriteStillSendsEveryByteAndResumesNobody) {
  course::set_deadline(10s);
  uvx::Loop loop;
  uvx::Listener listener(loop);
  Pair pair;
  std::string message;
  while (message.size() < kLarge) message += fmt::format("<byte {}>", message.size());
  message.resize(kLarge);
  bool resumed = false;
  std::string received;
  auto writer = [&]() -> Task<void> {
    co_await pair.client->write(message);  // 8 MiB: more than the sockets' buffers hold
    resumed = true;
  };
  auto scenario = [&]() -> Task<void> {
    co_await connect_pair(loop, listener, pair);
    Task<void> writing = writer();
    writing.start();
    co_await uvx::sleep(loop, 5ms);
    writing = {};  // cancelled with most of its bytes still to go: libuv writes them anyway
    while (received.size() < kLarge) {
      const std::string bytes = co_await pair.server->read();
      if (bytes.empty()) break;
      received += bytes;
    }
  };
  Task<void> task = scenario();
  ASSERT_TRUE(finishes(loop, task, 5s));
  task.result();
  EXPECT_FALSE(resumed) << "the cancelled writer was resumed when its write completed";
  ASSERT_EQ(received.size(), kLarge) << "bytes of the cancelled write that arrived";
  EXPECT_TRUE(received == message)
      << "the bytes that arrived differ: a write's bytes must live until libuv's callback, even "
         "when the awaiter that started it is gone — keep them in the request, not the awaiter";
  pair = {};
  listener.close();
  EXPECT_TRUE(ends_clean(loop));
}

TEST(CoTcp, ACancelledConnectResumesNobodyAndARefusedOneThrows) {
  course::set_deadline(5s);
  uvx::Loop loop;
  int port = 0;
  {
    uvx::Listener listener(loop);
    port = listener.port();
    bool resumed = false;
    auto connecting = [&]() -> Task<void> {
      TcpStream stream = co_await TcpStream::connect(loop, port);
      resumed = true;
    };
    Task<void> task = connecting();
    task.start();
    task = {};  // cancelled before the loop ever turned: the connect is still in flight
    uv_testing::settle(loop);
    EXPECT_FALSE(resumed) << "the cancelled connect resumed its task";
  }  // nothing listens on `port` from here on
  uv_testing::settle(loop);
  auto refused = [&]() -> Task<void> {
    TcpStream stream = co_await TcpStream::connect(loop, port);
  };
  Task<void> task = refused();
  ASSERT_TRUE(finishes(loop, task));
  try {
    task.result();
    ADD_FAILURE() << "a connect to a port where nothing listens succeeded";
  } catch (const uvx::UvError& error) {
    EXPECT_EQ(error.status(), UV_ECONNREFUSED) << error.what();
  }
  EXPECT_TRUE(ends_clean(loop));
}

TEST(CoAccept, ConnectionsThatArriveFirstWaitAndACancelledAcceptTakesNone) {
  course::set_deadline(5s);
  uvx::Loop loop;
  uvx::Listener listener(loop);
  std::vector<TcpStream> clients;
  Strings heard;
  bool cancelled_resumed = false;
  auto accepting = [&]() -> Task<void> {
    (void)co_await listener.accept();
    cancelled_resumed = true;
  };
  auto scenario = [&]() -> Task<void> {
    Task<void> waiting = accepting();
    waiting.start();
    co_await uvx::sleep(loop, 2ms);
    waiting = {};  // cancelled while it waits for a connection
    for (int i = 0; i < 3; ++i) {
      clients.push_back(co_await TcpStream::connect(loop, listener.port()));
      co_await clients.back().write(fmt::format("client {}", i));
    }
    co_await uvx::sleep(loop, 5ms);  // all three wait in the backlog: nobody accepts
    for (int i = 0; i < 3; ++i) {
      TcpStream accepted = co_await listener.accept();
      heard.push_back(co_await accepted.read());
    }
  };
  Task<void> task = scenario();
  ASSERT_TRUE(finishes(loop, task));
  task.result();
  EXPECT_FALSE(cancelled_resumed) << "a cancelled accept was resumed by a later connection";
  EXPECT_EQ(heard, (Strings{"client 0", "client 1", "client 2"}))
      << "connections that came while nobody accepted wait for the next accepts, in order";
  clients.clear();
  listener.close();
  EXPECT_TRUE(ends_clean(loop));
}

// ---- a task group ------------------------------------------------------------------------

TEST(CoTaskGroup, SpawnedTasksRunAtOnceAndTheirErrorsGoToTheHandler) {
  course::set_deadline(5s);
  uvx::Loop loop;
  Strings trace;
  Strings errors;
  std::optional<uvx::TaskGroup> group(std::in_place, [&](std::exception_ptr error) {
    try {
      std::rethrow_exception(error);
    } catch (const std::exception& thrown) {
      errors.push_back(thrown.what());
    }
  });
  auto worker = [&](std::string name, std::chrono::milliseconds nap, bool fails) -> Task<void> {
    trace.push_back(name + " begins");
    co_await uvx::sleep(loop, nap);
    trace.push_back(name + " ends");
    if (fails) throw std::runtime_error(name + " failed");
  };
  std::size_t running_at_first = 0;
  auto scenario = [&]() -> Task<void> {
    group->spawn(worker("a", 20ms, false));
    group->spawn(worker("b", 10ms, true));
    group->spawn(worker("c", 30ms, false));
    trace.push_back("all spawned");
    running_at_first = group->running();
    co_await uvx::sleep(loop, 60ms);
  };
  Task<void> task = scenario();
  ASSERT_TRUE(finishes(loop, task));
  task.result();
  EXPECT_EQ(trace, (Strings{"a begins", "b begins", "c begins", "all spawned", "b ends", "a ends",
                            "c ends"}))
      << "spawn runs a task until it first waits; the three then wait at the same time";
  EXPECT_EQ(running_at_first, 3U);
  EXPECT_EQ(group->running(), 0U) << "tasks still running after all three ended";
  EXPECT_EQ(errors, Strings{"b failed"}) << "the errors the group's handler got";
  group.reset();
  EXPECT_TRUE(ends_clean(loop));
}

TEST(CoTaskGroup, DestroyingTheGroupCancelsItsTasksWhereTheyWait) {
  course::set_deadline(5s);
  uvx::Loop loop;
  uvx::Listener listener(loop);
  Pair pair;
  int resumed = 0;
  std::optional<uvx::TaskGroup> group(std::in_place);
  auto sleeper = [&]() -> Task<void> {
    co_await uvx::sleep(loop, 20ms);
    ++resumed;
  };
  auto reader = [&]() -> Task<void> {
    (void)co_await pair.server->read();
    ++resumed;
  };
  auto scenario = [&]() -> Task<void> {
    co_await connect_pair(loop, listener, pair);
    group->spawn(sleeper());
    group->spawn(sleeper());
    group->spawn(reader());
    co_await uvx::sleep(loop, 5ms);
    group.reset();  // all three wait: each is cancelled
    co_await pair.client->write("too late");
    co_await uvx::sleep(loop, 40ms);  // past the sleepers' timers
  };
  Task<void> task = scenario();
  ASSERT_TRUE(finishes(loop, task));
  task.result();
  EXPECT_EQ(resumed, 0) << "tasks of a destroyed group that went on";
  pair = {};
  listener.close();
  EXPECT_TRUE(ends_clean(loop)) << "a cancelled task's timer must be closed";
}

}  // namespace
