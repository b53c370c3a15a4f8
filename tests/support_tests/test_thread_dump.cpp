// Where each thread of a stuck test is: gdb's backtraces, summarized to a line per thread.
#include <algorithm>
#include <string>

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <course/testing.hpp>

#include "misbehaving.hpp"
#include "thread_dump.hpp"

namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;
using ::testing::Not;

// gdb 13's output for Stuck.JoinsAThreadThatNeverEnds, cut short: the worker waits on a
// future, the watchdog waits for its deadline, the test's thread joins the worker.
constexpr std::string_view kGdbOutput = R"(
Thread 3 (Thread 0x7f90d521c6c0 (LWP 18478) "support_misbeha"):
#0  syscall () at ../sysdeps/unix/sysv/linux/x86_64/syscall.S:38
#1  0x00007f90d5cd1c09 in std::__atomic_futex_unsigned_base::_M_futex_wait_until(unsigned int*, unsigned int, bool, std::chrono::duration<long, std::ratio<1l, 1l> >, std::chrono::duration<long, std::ratio<1l, 1000000000l> >) () from /lib/x86_64-linux-gnu/libstdc++.so.6
#5  std::__future_base::_State_baseV2::wait (this=0x5579bd2a9f20) at /usr/include/c++/12/future:337
#6  std::__basic_future<void>::wait (this=<optimized out>) at /usr/include/c++/12/future:695
#7  operator() (__closure=<optimized out>) at /src/course/tests/support_tests/misbehaving_tests.cpp:20
#8  std::__invoke_impl<void, (anonymous namespace)::Stuck_JoinsAThreadThatNeverEnds_Test::TestBody()::<lambda()> > (__f=...) at /usr/include/c++/12/bits/invoke.h:61

Thread 2 (Thread 0x7f90d5a1d6c0 (LWP 18477) "support_misbeha"):
#0  __futex_abstimed_wait_common64 (private=0, cancel=true) at ./nptl/futex-internal.c:57
#9  course::(anonymous namespace)::Watchdog::watch (this=0x5579b4094900) at /src/course/tests/support/deadline.cpp:97

Thread 1 (Thread 0x7f90d5e28740 (LWP 18475) "support_misbeha"):
#0  __futex_abstimed_wait_common64 (private=128, cancel=true, abstime=0x0) at ./nptl/futex-internal.c:57
#3  0x00007f90d5aa8ce3 in __pthread_clockjoin_ex (threadid=140260027778752, thread_return=0x0) at ./nptl/pthread_join_common.c:102
#4  0x00007f90d5cd4517 in std::thread::join() () from /lib/x86_64-linux-gnu/libstdc++.so.6
#5  0x00005579b402c776 in (anonymous namespace)::Stuck_JoinsAThreadThatNeverEnds_Test::TestBody (this=<optimized out>) at /src/course/tests/support_tests/misbehaving_tests.cpp:21
#6  0x00005579b4074797 in void testing::internal::HandleExceptionsInMethodIfSupported<testing::Test, void>(testing::Test*, void (testing::Test::*)(), char const*) ()
)";

TEST(ThreadDump, SaysWhereEachThreadWaitsAndWhoCalled) {
  EXPECT_EQ(course::detail::summarize_backtraces(kGdbOutput, "/src/course"),
            "thread 1: in std::thread::join(), called from test Stuck.JoinsAThreadThatNeverEnds at "
            "tests/support_tests/misbehaving_tests.cpp:21\n"
            "thread 2: in std::__basic_future<void>::wait, called from operator() at "
            "tests/support_tests/misbehaving_tests.cpp:20\n")
      << "the watchdog's own thread (gdb's thread 2) is left out, and the threads numbered without "
         "it";
}

TEST(ThreadDump, SaysWhereAThreadRunsInTheCoursesCode) {
  constexpr std::string_view spinning = R"(
Thread 1 (Thread 0x7f (LWP 1) "t"):
#0  (anonymous namespace)::Stuck_SpinsForever_Test::TestBody (this=0x1) at /src/course/tests/x.cpp:30
)";
  EXPECT_EQ(course::detail::summarize_backtraces(spinning, "/src/course"),
            "thread 1: running in test Stuck.SpinsForever at tests/x.cpp:30\n");
}

TEST(ThreadDump, NamesTheCoursesCallersUpToTheTest) {
  constexpr std::string_view nested = R"(
Thread 1 (Thread 0x7f (LWP 1) "t"):
#0  0x01 in __GI___wait4 (pid=12, stat_loc=0x7ffd) at ../sysdeps/unix/sysv/linux/wait4.c:30
#1  0x02 in course::wait_for_child (child=...) at /src/course/solutions/04_processes/child.cpp:40
#2  0x03 in std::__invoke_impl<void> (__f=...) at /usr/include/c++/12/bits/invoke.h:61
#3  0x04 in course::ProcessPool::shutdown (this=0x1) at /src/course/solutions/04_processes/pool.cpp:88
#4  0x05 in course::ProcessPool::~ProcessPool (this=0x1) at /src/course/solutions/04_processes/pool.cpp:30
#5  0x06 in course::testing::Probe::run (this=0x1) at /src/course/tests/support/probe.cpp:9
#6  0x07 in (anonymous namespace)::Pool_ShutsDown_Test::TestBody (this=0x1) at /src/course/tests/04_processes/test_pool.cpp:12
#7  0x08 in testing::Test::Run() () from /lib/libgtest.so
)";
  EXPECT_EQ(course::detail::summarize_backtraces(nested, "/src/course"),
            "thread 1: in __GI___wait4, called from course::wait_for_child at "
            "solutions/04_processes/child.cpp:40\n"
            "          from course::ProcessPool::shutdown at solutions/04_processes/pool.cpp:88\n"
            "          from course::ProcessPool::~ProcessPool at "
            "solutions/04_processes/pool.cpp:30\n"
            "          from test Pool.ShutsDown at tests/04_processes/test_pool.cpp:12\n")
      << "the library's and the support's frames are left out of the callers";
}

TEST(ThreadDump, ShortensLongTemplateArguments) {
  constexpr std::string_view templated = R"(
Thread 4 (Thread 0x7f (LWP 1) "t"):
#0  0x01 in std::vector<std::pair<std::string, std::unordered_map<int, long> >, std::allocator<int> >::at (this=0x1) at /usr/include/c++/12/bits/stl_vector.h:1
)";
  EXPECT_EQ(course::detail::summarize_backtraces(templated, "/src/course"),
            "thread 1: in std::vector<…>::at\n");
}

// Chapter 2's finishing_order stuck in its work: gdb writes demangled parameter lists, some with
// "(int)" inside a template, before the arguments; only the names are shown, and the innermost
// public name of the standard library says what the thread waits in.
TEST(ThreadDump, NamesFunctionsWithoutTheirParameterTypes) {
  constexpr std::string_view demangled = R"(
Thread 2 (Thread 0x7f (LWP 2) "t"):
#0  syscall () at ../sysdeps/unix/sysv/linux/x86_64/syscall.S:38
#1  0x01 in std::__detail::__platform_wait<int> (__val=63, __addr=0x7f) at /usr/include/c++/12/bits/atomic_wait.h:106
#5  0x02 in std::function<void (int)>::operator()(int) const (__args#0=<optimized out>, this=<optimized out>) at /usr/include/c++/12/bits/std_function.h:591
#6  operator() (__closure=0x5) at /src/course/solutions/finishing_order.cpp:17
Thread 1 (Thread 0x7f (LWP 1) "t"):
#0  0x03 in __pthread_clockjoin_ex (threadid=1, thread_return=0x0) at ./nptl/pthread_join_common.c:102
#1  0x04 in std::thread::join() () from /lib/x86_64-linux-gnu/libstdc++.so.6
#2  0x05 in std::vector<std::jthread, std::allocator<std::jthread> >::~vector (this=0x7f) at /usr/include/c++/12/bits/stl_vector.h:730
#3  threads::finishing_order(int, std::function<void (int)> const&) (workers=64, work=...) at /src/course/solutions/finishing_order.cpp:21
)";
  EXPECT_EQ(course::detail::summarize_backtraces(demangled, "/src/course"),
            "thread 1: in std::thread::join(), called from threads::finishing_order at "
            "solutions/finishing_order.cpp:21\n"
            "thread 2: in std::function<void (int)>::operator(), called from operator() at "
            "solutions/finishing_order.cpp:17\n");
}

// clang names a lambda "f(int)::$_1::operator()()": shown as g++'s "operator()".
TEST(ThreadDump, NamesClangsLambdasAsGccDoes) {
  constexpr std::string_view clang = R"(
Thread 2 (Thread 0x7f (LWP 2) "t"):
#0  0x01 in std::mutex::lock (this=0x1) at /usr/include/c++/12/bits/std_mutex.h:100
#1  0x02 in wait_on_a_held_lock(int)::$_1::operator()() const (this=0x2) at /src/course/tests/x.cpp:63
)";
  EXPECT_EQ(course::detail::summarize_backtraces(clang, "/src/course"),
            "thread 1: in std::mutex::lock, called from operator() at tests/x.cpp:63\n");
}

// gdb attaches to this very process: the line for this thread names this test.
TEST(ThreadDump, AttachesGdbToThisProcess) {
  course::set_deadline(60'000ms);
  const auto threads = course::detail::describe_threads(30'000ms);
  if (!threads) GTEST_SKIP() << "gdb is not installed, or cannot attach to a process here";
  EXPECT_THAT(*threads, HasSubstr("called from test ThreadDump.AttachesGdbToThisProcess at "
                                  "tests/support_tests/test_thread_dump.cpp:"));
}

TEST(ThreadDump, TheDeadlineMessageShowsIt) {
  if (!course::detail::describe_threads(30'000ms)) {
    GTEST_SKIP() << "gdb is not installed, or cannot attach to a process here";
  }
  const auto run =
      run_misbehaving_test("Stuck.JoinsAThreadThatNeverEnds", {{"COURSE_BACKTRACE", "on"}});
  EXPECT_EQ(run.exit_code, course::kDeadlineExitCode) << run.output;
  EXPECT_THAT(run.output, HasSubstr("[  DEADLINE ] Where each thread is, according to gdb:"));
  EXPECT_THAT(
      run.output,
      HasSubstr("in std::thread::join(), called from test Stuck.JoinsAThreadThatNeverEnds"));
}

// Chapter 2's finishing_order with its lock held around the work: 64 or 500 threads stuck on one
// lock, the test's thread joining them. gdb's report of them once filled a pipe that a thread
// of the stopped process was to read, and the test hung for good instead of failing at its
// deadline. Now it must fail in time, whatever gdb does, and say it in a few lines.
void expect_a_short_report_in_time(const std::string& test, int threads) {
  course::set_deadline(60'000ms);
  if (!course::detail::describe_threads(30'000ms)) {
    GTEST_SKIP() << "gdb is not installed, or cannot attach to a process here";
  }
  const auto run = run_misbehaving_test(test, {{"COURSE_BACKTRACE", "on"}});
  EXPECT_EQ(run.exit_code, course::kDeadlineExitCode) << run.output;
  EXPECT_THAT(run.output, HasSubstr("[  DEADLINE ] test " + test + " did not finish within"));
  // The deadline (1 s), the notes (none here), gdb's two seconds, and starting the process.
  const auto bound = course::stretched(1000ms) + course::scaled(3000ms);
  EXPECT_LE(run.elapsed, bound) << run.output;
  EXPECT_THAT(run.output,
              HasSubstr(fmt::format("[  DEADLINE ]   {} threads (2-{}): in std::mutex::lock"
                                    ", called from operator() at "
                                    "tests/support_tests/misbehaving_tests.cpp:",
                                    threads, threads + 1)))
      << "one line for all the threads stuck in one place";
  EXPECT_LE(std::count(run.output.begin(), run.output.end(), '\n'), 40)
      << "the report stays short, however many threads there are:\n"
      << run.output;
}

TEST(ThreadDump, SixtyFourStuckThreadsFailInTime) {
  expect_a_short_report_in_time("Stuck.SixtyFourThreadsWaitOnALock", 64);
}

TEST(ThreadDump, FiveHundredStuckThreadsFailInTime) {
  expect_a_short_report_in_time("Stuck.FiveHundredThreadsWaitOnALock", 500);
}

TEST(ThreadDump, GroupsThreadsThatWaitInOnePlace) {
  constexpr std::string_view same = R"(
Thread 4 (Thread 0x7f (LWP 4) "t"):
#0  0x01 in std::mutex::lock() () at /usr/include/c++/12/bits/std_mutex.h:1
#1  0x02 in work (i=1) at /src/course/solutions/x.cpp:21
Thread 3 (Thread 0x7f (LWP 3) "t"):
#0  0x01 in std::mutex::lock() () at /usr/include/c++/12/bits/std_mutex.h:1
#1  0x02 in work (i=0) at /src/course/solutions/x.cpp:21
Thread 2 (Thread 0x7f (LWP 2) "t"):
#0  0x01 in std::mutex::lock() () at /usr/include/c++/12/bits/std_mutex.h:1
#1  0x02 in work (i=0) at /src/course/solutions/x.cpp:30
Thread 1 (Thread 0x7f (LWP 1) "t"):
#0  0x01 in std::mutex::lock() () at /usr/include/c++/12/bits/std_mutex.h:1
#1  0x02 in work (i=0) at /src/course/solutions/x.cpp:21
)";
  EXPECT_EQ(course::detail::summarize_backtraces(same, "/src/course"),
            "3 threads (1, 3-4): in std::mutex::lock(), called from work at solutions/x.cpp:21\n"
            "thread 2: in std::mutex::lock(), called from work at solutions/x.cpp:30\n");
}

TEST(ThreadDump, ListsAFewPlacesAndCountsTheRest) {
  std::string many;
  for (int thread = 20; thread >= 1; --thread) {
    many += fmt::format("Thread {} (Thread 0x7f (LWP {}) \"t\"):\n", thread, thread);
    many += fmt::format("#0  0x01 in f{} () at /src/course/solutions/x.cpp:{}\n", thread, thread);
  }
  const std::string summary = course::detail::summarize_backtraces(many, "/src/course");
  EXPECT_THAT(summary, HasSubstr("thread 12: running in f12 at solutions/x.cpp:12\n"));
  EXPECT_THAT(summary, Not(HasSubstr("f13")));
  EXPECT_THAT(summary, HasSubstr("… and 8 more threads in 8 other places\n"));
}

}  // namespace
