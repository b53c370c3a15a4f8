// Exercise 4.4: a pool of worker processes — Python's multiprocessing.Pool.
#include <algorithm>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <thread>
#include <vector>

#include <unistd.h>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <course/testing.hpp>

#include "process_pool.hpp"
#include "process_test.hpp"
#include "typed_pool.hpp"

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

// The notebook's Pool(5).map(square, [1, 2, 3]) with numbers, through the given TypedPool on
// your pool; the first input takes longest, so the answers arrive last input first, and the
// results must still be in the order of the inputs.
TEST_F(ProcessPoolTest, MapsNumbersInInputOrderWhateverFinishesFirst) {
  processes::TypedPool<long, long> pool(5, [](const long& x) {
    std::this_thread::sleep_for((3 - x) * course::scaled(30ms));
    return x * x;
  });
  EXPECT_EQ(pool.map({1, 2, 3}), (std::vector<long>{1, 4, 9}))
      << "the answers came back 9, 4, 1: put each in its input's place, not in the order they "
         "arrive";
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
  std::set<std::string> strangers;
  for (const auto& answers : {first, second}) {
    for (const auto& pid : answers) {
      if (!workers.contains(std::stoi(pid))) strangers.insert(pid);
    }
  }
  EXPECT_TRUE(strangers.empty())
      << strangers.size() << " of the 24 tasks ran in processes that are not the pool's workers ("
      << fmt::format("{}", fmt::join(strangers, ", "))
      << "): the workers must be started once and reused, not forked for each task";
}

// Every pipe end that process `pid` holds open, as "pipe:[inode]", one per file descriptor.
std::vector<std::string> pipe_ends_of(pid_t pid) {
  std::vector<std::string> ends;
  std::error_code error;
  for (const auto& entry :
       std::filesystem::directory_iterator(fmt::format("/proc/{}/fd", pid), error)) {
    const std::string target = std::filesystem::read_symlink(entry.path(), error).string();
    if (!error && target.starts_with("pipe:")) ends.push_back(target);
  }
  return ends;
}

// Maps until every worker has answered at least once — so each has got past what it does right
// after the fork — and returns the workers' pids.
std::vector<pid_t> workers_that_answered(ProcessPool& pool) {
  std::set<std::string> answered;
  for (int round = 0; round < 20 && answered.size() < pool.size(); ++round) {
    for (const auto& pid : pool.map(std::vector<std::string>(pool.size() * 4, "?"))) {
      answered.insert(pid);
    }
  }
  std::vector<pid_t> pids;
  for (const auto& pid : answered) pids.push_back(std::stoi(pid));
  return pids;
}

// After fork a worker holds a copy of every pipe end the pool had. It needs two: the read end of
// its input pipe and the write end of its answer pipe. A copy of another worker's input write
// end keeps that worker's input pipe open after the pool closes it: that worker never sees the
// end of its inputs, and a shutdown that waits for it waits forever.
TEST_F(ProcessPoolTest, EachWorkerHoldsOnlyItsOwnPipeEnds) {
  // The test program's own pipes (its output, under ctest) are every child's too: not counted.
  const auto inherited = pipe_ends_of(::getpid());
  ProcessPool pool(3, [](const std::string& input) {
    if (input == "crash") std::abort();
    return std::to_string(::getpid());
  });
  const auto check =
      [&](const std::string& when) {
        const auto workers = workers_that_answered(pool);
        ASSERT_FALSE(workers.empty());
        std::map<std::string, pid_t> holder;  // each of the pool's pipe ends, and who holds it
        for (const pid_t worker : workers) {
          std::vector<std::string> own;
          for (const auto& end : pipe_ends_of(worker)) {
            if (std::find(inherited.begin(), inherited.end(), end) == inherited.end()) {
              own.push_back(end);
            }
          }
          EXPECT_EQ(own.size(), 2U)
              << when << ": worker " << worker << " holds " << own.size()
              << " ends of the pool's pipes; it needs 2 — the read end of its input pipe and the "
                 "write end of its answer pipe. Right after the fork, the worker must close every "
                 "other end: the other ends of its own pipes, and every end of the other workers'";
          for (const auto& end : own) {
            const auto [other, fresh] = holder.emplace(end, worker);
            EXPECT_TRUE(fresh || other->second == worker)
                << when << ": workers " << other->second << " and " << worker
                << " both hold an end of the same pipe (" << end << ")";
          }
        }
      };
  check("with its first workers");
  EXPECT_THROW((void)pool.map({"crash"}), TaskFailed);
  check("after a worker was replaced");
}

// A worker can die while it waits for work. The next map writes an input to its pipe, which
// nobody reads any more: that raises SIGPIPE, whose default action ends the writing process —
// here, the test program. The pool must ignore SIGPIPE (its write then fails with EPIPE), and
// replace the worker. If it does not, the handler below says so before the test program dies.
extern "C" void explain_sigpipe(int /*signal*/) {
  constexpr std::string_view kWhy =
      "\nSIGPIPE: the pool wrote to the input pipe of a worker that had died, and SIGPIPE ended "
      "the test program. The pool must ignore SIGPIPE (signal(SIGPIPE, SIG_IGN)), so that the "
      "write fails with EPIPE — then replace that worker.\n";
  [[maybe_unused]] const auto written = ::write(STDERR_FILENO, kWhy.data(), kWhy.size());
  ::signal(SIGPIPE, SIG_DFL);
  ::raise(SIGPIPE);
}

TEST_F(ProcessPoolTest, AWorkerThatDiedWhileIdleIsReplaced) {
  ::signal(SIGPIPE, explain_sigpipe);  // the pool's own setting, made after, replaces this
  ProcessPool pool(2, [](const std::string&) { return std::to_string(::getpid()); });
  (void)pool.map({"?", "?"});
  const pid_t victim = pool.worker_pids().front();
  ::kill(victim, SIGKILL);
  // Until it has ended (a zombie now: the pool has not waited for it yet), its pipes are open.
  const auto give_up = std::chrono::steady_clock::now() + course::scaled(2s);
  const auto ended = [victim] {
    for (const auto& process : course::child_processes()) {
      if (process.pid == victim) return process.state == 'Z';
    }
    return true;
  };
  while (!ended() && std::chrono::steady_clock::now() < give_up) {
    std::this_thread::sleep_for(1ms);
  }
  ASSERT_TRUE(ended()) << "worker " << victim << " did not end after SIGKILL";
  const auto answers = pool.map({"?", "?", "?", "?"});
  EXPECT_EQ(answers.size(), 4U);
  EXPECT_EQ(std::count(answers.begin(), answers.end(), std::to_string(victim)), 0)
      << "a dead worker gave an answer";
  const auto now = pool.worker_pids();
  EXPECT_EQ(now.size(), 2U) << "the dead worker was replaced";
  EXPECT_EQ(std::count(now.begin(), now.end(), victim), 0)
      << "worker " << victim << " died: a new process must take its place";
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
  EXPECT_NE(pool.worker_pids(), workers_before)
      << "the worker that crashed must be replaced by a new process (start_worker): the pool's "
         "workers are still "
      << fmt::format("{}", fmt::join(workers_before, ", "));
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
    const course::DeadlineNote note(
        "the pool's destructor did not return: a worker ends when its input pipe closes — does "
        "every worker close the pipe ends it does not use, including the other workers'?");
  }
  EXPECT_TRUE(course::no_child_processes_left())
      << "the pool's destructor must end and wait for its workers";
}

TEST_F(ProcessPoolTest, NeedsAWorker) {
  EXPECT_THROW(ProcessPool(0, square), std::invalid_argument)
      << "a pool of no workers could never run a task: its constructor throws";
}

}  // namespace
