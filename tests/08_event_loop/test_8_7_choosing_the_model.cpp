// Exercise 8.7: choosing the model — slow fetches with a thread per request, a process pool, and
// the event loop. What the tests check is structural: the slow server (given/slow_server.hpp)
// counts the requests waiting for their answers at one moment and which process sent each, and
// can hold every answer until enough requests wait at once; the tests count this process's
// threads, descriptors and child processes.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <functional>
#include <map>
#include <numeric>
#include <random>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <fcntl.h>
#include <unistd.h>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <gtest/gtest.h>
#include <uv.h>

#include <course/testing.hpp>
#include <course/unique_fd.hpp>

#include "fetch_testing.hpp"
#include "fetchers.hpp"
#include "slow_server.hpp"

namespace {

using namespace std::chrono_literals;
using namespace fetch_testing;

// --- a thread per request ----------------------------------------------------------------------

TEST(FetchWithThreads, GivesEveryValueInTheOrderOfTheItems) {
  course::set_deadline(5s);
  const slow::SlowServer server(shuffled_answers());
  const RandomItems drawn = random_items(30);
  const Items& items = drawn.items;
  SCOPED_TRACE(fmt::format("items {} (seed {})", items, drawn.seed));
  EXPECT_TRUE(are_the_values(fetch::with_threads(server.port(), items), items, server));
  EXPECT_TRUE(fetch::with_threads(server.port(), {}).empty()) << "no items, no values";
}

TEST(FetchWithThreads, AllTheRequestsWaitAtTheSameTime) {
  course::set_deadline(10s);
  constexpr std::size_t kItems = 200;
  const slow::SlowServer server(held_until(kItems));
  Items items(kItems);
  std::iota(items.begin(), items.end(), 1);
  EXPECT_TRUE(are_the_values(fetch::with_threads(server.port(), items), items, server));
  const slow::Stats stats = server.stats();
  EXPECT_EQ(stats.most_waiting, kItems)
      << "requests that waited for their answers at the same moment: with a thread per request, "
         "all of them. Fewer means the threads asked one after another — did you join each "
         "thread right after starting it? Start them all, then join them all";
  EXPECT_FALSE(stats.held_until_limit);
  EXPECT_EQ(stats.requests_by_process.size(), 1U)
      << "the requests came from these processes: " << requests_by_process(stats)
      << " — threads are all in this one";
}

TEST(FetchWithThreads, AFailedFetchIsThrownOnceEveryThreadHasEnded) {
  course::set_deadline(5s);
  const RandomItems drawn = random_items(20);
  const Items& items = drawn.items;
  SCOPED_TRACE(fmt::format("items {} (seed {})", items, drawn.seed));
  slow::Options options = shuffled_answers();
  options.refused = refused(items[7], items[13]);
  const slow::SlowServer server(options);
  const std::size_t threads_before = thread_count();
  const Descriptors descriptors_before = open_descriptors();
  EXPECT_TRUE(names_item(error_of([&] { fetch::with_threads(server.port(), items); }), items[7]))
      << ", the first failed one in the order of the items: the server refuses items " << items[7]
      << " (after 100 ms) and " << items[13]
      << " (at once). slow::fetch_blocking throws; keep each thread's exception, and once every "
         "thread has ended (joined), rethrow the first in the order of the items — not the "
         "first in time. Nothing thrown? Look at the exceptions only after every thread is "
         "joined";
  EXPECT_EQ(server.stats().requests, items.size())
      << "requests the server got: every thread fetches, whether or not another one failed";
  EXPECT_EQ(thread_count(), threads_before)
      << "threads in this process after with_threads threw, against before it: every thread "
         "must have been joined first";
  EXPECT_TRUE(nothing_left_open(descriptors_before, server));
  EXPECT_TRUE(names_item(error_of([&] {
                           fetch::with_threads(kClosedPort, {5, 6});
                         }),
                         5))
      << " (a server that is gone: connecting is refused)";
}

// --- a process pool ----------------------------------------------------------------------------

TEST(FetchWithProcesses, GivesEveryValueInTheOrderOfTheItems) {
  course::set_deadline(5s);
  const slow::SlowServer server(shuffled_answers());
  const RandomItems drawn = random_items(30);
  const Items& items = drawn.items;
  SCOPED_TRACE(fmt::format("items {} (seed {})", items, drawn.seed));
  EXPECT_TRUE(are_the_values(fetch::with_processes(server.port(), items, 3), items, server))
      << "with 3 processes";
  const Items two{11, 12};
  EXPECT_TRUE(are_the_values(fetch::with_processes(server.port(), two, 5), two, server))
      << "2 items with 5 processes";
  EXPECT_TRUE(fetch::with_processes(server.port(), {}, 2).empty()) << "no items, no values";
  EXPECT_TRUE(course::no_child_processes_left());
}

TEST(FetchWithProcesses, TheFetchesRunInThatManyChildProcessesAtOnce) {
  course::set_deadline(10s);
  for (const int processes : {3, 5}) {
    SCOPED_TRACE(fmt::format("{} processes", processes));
    const auto wanted = static_cast<std::size_t>(processes);
    const slow::SlowServer server(held_until(wanted, 2s));
    Items items(4 * wanted);
    std::iota(items.begin(), items.end(), 100);
    EXPECT_TRUE(
        are_the_values(fetch::with_processes(server.port(), items, processes), items, server));
    const slow::Stats stats = server.stats();
    EXPECT_EQ(stats.most_waiting, wanted)
        << "requests that waited for their answers at the same moment: a pool of " << processes
        << " processes, each fetching one item at a time, has " << processes
        << " waiting at once — no more, no fewer";
    EXPECT_FALSE(stats.held_until_limit);
    EXPECT_EQ(stats.requests_by_process.size(), wanted)
        << "processes the requests came from: " << requests_by_process(stats);
    EXPECT_FALSE(stats.requests_by_process.contains(::getpid()))
        << "this process fetched some items itself (" << requests_by_process(stats)
        << "): the fetches belong in the children";
    EXPECT_TRUE(course::no_child_processes_left());
  }
}

TEST(FetchWithProcesses, AFailedFetchIsThrownAndEveryChildIsWaitedFor) {
  course::set_deadline(5s);
  const RandomItems drawn = random_items(20);
  const Items& items = drawn.items;
  SCOPED_TRACE(fmt::format("items {} (seed {})", items, drawn.seed));
  slow::Options options = shuffled_answers();
  options.refused = refused(items[5], items[16]);
  const slow::SlowServer server(options);
  const Descriptors descriptors_before = open_descriptors();
  EXPECT_TRUE(
      names_item(error_of([&] { fetch::with_processes(server.port(), items, 4); }), items[5]))
      << ", the first failed one in the order of the items: the server refuses items " << items[5]
      << " (after 100 ms) and " << items[16]
      << " (at once). The child that failed has to tell the parent, which throws once every "
         "child has ended";
  EXPECT_EQ(server.stats().requests, items.size())
      << "requests the server got: every child fetches all of its items, whether or not "
         "another failed";
  EXPECT_TRUE(course::no_child_processes_left());
  EXPECT_TRUE(nothing_left_open(descriptors_before, server)) << "every pipe closed";
  EXPECT_TRUE(names_item(error_of([&] {
                           fetch::with_processes(kClosedPort, {5, 6}, 2);
                         }),
                         5))
      << " (a server that is gone: connecting is refused)";
  EXPECT_TRUE(course::no_child_processes_left());
}

// The server kills the child that asks for one item: the parent must notice the items that
// never came back, not give empty values for them.
TEST(FetchWithProcesses, AChildThatDiesIsAnErrorNotAnEmptyValue) {
  course::set_deadline(5s);
  Items items(12);
  std::iota(items.begin(), items.end(), 40);
  slow::Options options;
  options.delay = [](int) { return 1ms; };
  options.fatal = {items[4]};
  const slow::SlowServer server(options);
  const Descriptors descriptors_before = open_descriptors();
  EXPECT_TRUE(
      names_item(error_of([&] { fetch::with_processes(server.port(), items, 3); }), items[4]))
      << ": the child that fetched it was killed (SIGKILL) while it waited for the answer. "
         "A child that ends without sending every value it owed is an error for the first item "
         "missing";
  EXPECT_TRUE(course::no_child_processes_left());
  EXPECT_TRUE(nothing_left_open(descriptors_before, server)) << "every pipe closed";
}

// One child with more to say than a pipe holds (64 KiB): it waits in write() until the parent
// reads. A parent that waits for the child before reading, or reads only once, never sees it all.
TEST(FetchWithProcesses, AChildWithMoreValuesThanAPipeHoldsIsReadToTheEnd) {
  course::set_deadline(5s);
  slow::Options options;
  options.delay = [](int) { return 0ms; };
  const slow::SlowServer server(options);
  Items items(4000);  // about 90 KB of lines from one child
  std::iota(items.begin(), items.end(), 1'000'000);
  const course::DeadlineNote note(
      "one child fetches 4000 items and writes about 90 KB into its pipe, which holds 64 KiB: "
      "it waits in write() until the parent reads. Read every pipe to its end before waitpid");
  EXPECT_TRUE(are_the_values(fetch::with_processes(server.port(), items, 1), items, server));
  EXPECT_TRUE(course::no_child_processes_left());
}

TEST(FetchWithProcesses, FewerThanOneProcessIsAnError) {
  course::set_deadline(5s);
  const slow::SlowServer server;
  EXPECT_THROW(fetch::with_processes(server.port(), {1, 2}, 0), std::invalid_argument);
  EXPECT_THROW(fetch::with_processes(server.port(), {1, 2}, -3), std::invalid_argument);
  EXPECT_EQ(server.stats().requests, 0U);
  EXPECT_TRUE(course::no_child_processes_left());
}

// --- the event loop ----------------------------------------------------------------------------

TEST(FetchOnTheLoop, GivesEveryValueInTheOrderOfTheItems) {
  course::set_deadline(5s);
  slow::Options options = shuffled_answers();
  options.answer_in_pieces = true;  // a read gives half an answer
  const slow::SlowServer server(options);
  const RandomItems drawn = random_items(30);
  const Items& items = drawn.items;
  SCOPED_TRACE(fmt::format("items {} (seed {}); each answer comes in two pieces, 5 ms apart", items,
                           drawn.seed));
  const Descriptors descriptors_before = open_descriptors();
  EXPECT_TRUE(are_the_values(fetch::on_the_loop(server.port(), items), items, server));
  EXPECT_TRUE(fetch::on_the_loop(server.port(), {}).empty()) << "no items, no values";
  EXPECT_TRUE(nothing_left_open(descriptors_before, server))
      << "open descriptors after against before: every socket closed, and the loop";
}

TEST(FetchOnTheLoop, AllTheRequestsWaitAtTheSameTimeOnOneThread) {
  course::set_deadline(10s);
  constexpr std::size_t kItems = 300;
  const slow::SlowServer server(held_until(kItems));
  Items items(kItems);
  std::iota(items.begin(), items.end(), -150);
  Values values;
  std::size_t threads_before = 0;
  std::size_t most_threads = 0;
  {
    const ThreadPeak peak;
    std::this_thread::sleep_for(1ms);  // the sampler has looked once
    threads_before = thread_count();
    values = fetch::on_the_loop(server.port(), items);
    most_threads = peak.most();
  }
  EXPECT_TRUE(are_the_values(values, items, server));
  const slow::Stats stats = server.stats();
  EXPECT_EQ(stats.most_waiting, kItems)
      << "requests that waited for their answers at the same moment: on the loop, all of them. "
         "Fewer means a fetch waited for the one before — start every task (gather) before "
         "awaiting any";
  EXPECT_FALSE(stats.held_until_limit);
  // libuv's pool (4 threads) is allowed, though nothing here needs it.
  EXPECT_LE(most_threads, threads_before + 4)
      << "threads this process had at once while on_the_loop ran, against " << threads_before
      << " before it: on the loop every fetch waits on the one thread that runs it";
}

TEST(FetchOnTheLoop, AFailedFetchIsThrownAndNothingIsLeftOpen) {
  course::set_deadline(5s);
  const RandomItems drawn = random_items(20);
  const Items& items = drawn.items;
  SCOPED_TRACE(fmt::format("items {} (seed {})", items, drawn.seed));
  slow::Options options = shuffled_answers();
  options.refused = refused(items[3], items[11]);
  const slow::SlowServer server(options);
  const Descriptors descriptors_before = open_descriptors();
  EXPECT_TRUE(names_item(error_of([&] { fetch::on_the_loop(server.port(), items); }), items[3]))
      << ", the first failed one in the order of the items: the server refuses items " << items[3]
      << " (after 100 ms) and " << items[11]
      << " (at once): it closes the connection without an answer, so the read gives the end "
         "of the stream";
  EXPECT_EQ(server.stats().requests, items.size())
      << "requests the server got: every task fetches, whether or not another failed";
  EXPECT_TRUE(nothing_left_open(descriptors_before, server)) << "every socket closed, and the loop";
  EXPECT_TRUE(names_item(error_of([&] {
                           fetch::on_the_loop(kClosedPort, {5, 6});
                         }),
                         5))
      << " (a server that is gone: the connect fails with a UvError, which does not know the "
         "item — say which item it was for)";
}

}  // namespace
