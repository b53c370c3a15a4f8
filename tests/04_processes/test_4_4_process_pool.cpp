// Exercise 4.4: a pool of worker processes — Python's multiprocessing.Pool.
#include <csignal>
#include <cstdlib>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <unistd.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <course/testing.hpp>

#include "process_pool.hpp"
#include "process_test.hpp"

namespace {

using namespace std::chrono_literals;
using processes::ProcessPool;
using processes::TaskFailed;
using ::testing::HasSubstr;
using ProcessPoolTest = processes_testing::ProcessTest;

std::string square(const std::string& input) {
  const long x = std::stol(input);
  return std::to_string(x * x);
}

// The notebooks' Pool(5).map(f, [1, 2, 3]) == [1, 4, 9].
TEST_F(ProcessPoolTest, MapKeepsTheOrderOfTheInputs) {
  ProcessPool pool(5, square);
  EXPECT_EQ(pool.size(), 5U);
  EXPECT_EQ(pool.map({"1", "2", "3"}), (std::vector<std::string>{"1", "4", "9"}));
  EXPECT_TRUE(pool.map({}).empty());
}

TEST_F(ProcessPoolTest, RunsTheTasksInItsLongLivedWorkers) {
  ProcessPool pool(3, [](const std::string&) { return std::to_string(::getpid()); });
  const std::vector<std::string> inputs(12, "?");
  const auto first = pool.map(inputs);
  const auto second = pool.map(inputs);
  std::set<pid_t> workers;
  for (const pid_t pid : pool.worker_pids()) workers.insert(pid);
  EXPECT_EQ(workers.size(), 3U) << "three workers, three processes";
  EXPECT_FALSE(workers.contains(::getpid())) << "the workers are other processes";
  for (const auto& answers : {first, second}) {
    for (const auto& pid : answers) {
      EXPECT_TRUE(workers.contains(std::stoi(pid)))
          << "task ran in process " << pid
          << ", which is not one of the pool's workers: the "
             "workers must be started once and reused, not forked for each task";
    }
  }
}

TEST_F(ProcessPoolTest, RunsTasksInParallel) {
  ProcessPool pool(4, [](const std::string& input) {
    std::this_thread::sleep_for(std::chrono::milliseconds(std::stoi(input)));
    return input;
  });
  const auto nap = course::scaled(50ms);
  const std::vector<std::string> inputs(
      8, std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(nap).count()));
  const auto elapsed = course::time_once([&] { (void)pool.map(inputs); });
  // 8 tasks of 50 ms on 4 workers: 2 rounds, about 100 ms; one worker at a time would take 400.
  // The bound is 175 ms (measured on a shared 2-core machine: 100.4–100.9 ms in 15 runs idle,
  // 100.6–104.7 ms in 10 beside a busy process).
  course::record_figure("8 tasks of 50 ms", course::format_millis(elapsed),
                        "< " + course::format_millis(course::generous(2 * nap)));
  EXPECT_TRUE(course::took_at_least(elapsed, 2 * nap));
  EXPECT_TRUE(course::took_at_most(elapsed, course::generous(2 * nap)))
      << "the workers must work at the same time: send every idle worker an input, then wait "
         "for whichever answers first (poll)";
}

TEST_F(ProcessPoolTest, ATaskThatThrowsFailsWithItsMessage) {
  ProcessPool pool(2, [](const std::string& input) -> std::string {
    if (input == "bad") throw std::invalid_argument("bad input");
    return input;
  });
  try {
    (void)pool.map({"good", "bad", "fine"});
    ADD_FAILURE() << "the task for 'bad' threw: map must throw TaskFailed";
  } catch (const TaskFailed& failed) {
    EXPECT_EQ(failed.input(), "bad");
    EXPECT_THAT(failed.what(), HasSubstr("bad input"));
  }
  EXPECT_EQ(pool.map({"again"}), std::vector<std::string>{"again"}) << "the pool goes on";
}

TEST_F(ProcessPoolTest, AWorkerThatCrashesFailsItsTaskAndIsReplaced) {
  ProcessPool pool(2, [](const std::string& input) -> std::string {
    if (input == "crash") std::abort();
    return input;
  });
  const auto workers_before = pool.worker_pids();
  try {
    (void)pool.map({"a", "crash", "b", "c"});
    ADD_FAILURE() << "a worker crashed on 'crash': map must throw TaskFailed";
  } catch (const TaskFailed& failed) {
    EXPECT_EQ(failed.input(), "crash");
    EXPECT_THAT(failed.what(), HasSubstr("SIGABRT")) << "saying how the worker died";
  }
  EXPECT_EQ(pool.size(), 2U) << "the dead worker was replaced";
  EXPECT_NE(pool.worker_pids(), workers_before) << "by a new process";
  EXPECT_EQ(pool.map({"1", "2", "3"}), (std::vector<std::string>{"1", "2", "3"}))
      << "the pool stays usable";
}

TEST_F(ProcessPoolTest, ShutdownWaitsForEveryWorker) {
  ProcessPool pool(3, square);
  (void)pool.map({"1", "2"});
  {
    const course::DeadlineNote note(
        "shutdown() did not return: a worker ends when its input pipe closes — does every "
        "worker close the pipe ends it does not use, including the other workers'?");
    pool.shutdown();
  }
  EXPECT_TRUE(course::no_child_processes_left()) << "after shutdown(), no worker may be left";
  EXPECT_THROW((void)pool.map({"1"}), std::logic_error) << "map after shutdown()";
  pool.shutdown();  // a second time does nothing
}

TEST_F(ProcessPoolTest, TheDestructorWaitsForEveryWorker) {
  {
    ProcessPool pool(4, square);
    EXPECT_EQ(pool.map({"7"}), std::vector<std::string>{"49"});
  }
  EXPECT_TRUE(course::no_child_processes_left())
      << "the pool's destructor must end and wait for its workers";
}

TEST_F(ProcessPoolTest, NeedsAWorker) {
  EXPECT_THROW(ProcessPool(0, square), std::invalid_argument);
}

}  // namespace
