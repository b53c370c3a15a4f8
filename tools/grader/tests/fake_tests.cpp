// A fake chapter's tests, each a way a student's test can end: pass, fail, not started, crash,
// deadlock, stop its own watchdog, leave processes running, flood the output, skip, pass only
// on a second run, race, fail with a timeline (and a trace file). grader_tests.cpp grades them with
// the grader and checks its verdicts. Never part of a real chapter.
#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <future>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <course/not_implemented.hpp>
#include <course/testing.hpp>

namespace {

using namespace std::chrono_literals;

TEST(Fake, Passes) {
  SUCCEED();
}

TEST(Fake, Fails) {
  EXPECT_EQ(1 + 1, 3) << "one and one make two, not three";
}

TEST(Fake, IsNotStarted) {
  throw course::NotImplemented("99.1", "fake_function");
}

TEST(Fake, Segfaults) {
  std::raise(SIGSEGV);
}

TEST(Fake, ThrowsInAThread) {
  std::thread worker([] { throw std::runtime_error("escaped from a thread"); });
  worker.join();
}

TEST(Fake, Deadlocks) {
  course::set_deadline(500ms);
  std::promise<void> never_kept;
  std::thread worker([ready = never_kept.get_future()] { ready.wait(); });
  worker.join();
}

// SIGSTOP stops every thread, the watchdog's too: only the grader's own deadline can end it.
TEST(Fake, StopsItsOwnWatchdog) {
  std::raise(SIGSTOP);
}

TEST(Fake, LeavesProcessesRunning) {
  // One child stays in the test's process group; the other leaves it (setsid) and so escapes a
  // kill of the group. Both would run forever.
  for (int child = 0; child < 2; ++child) {
    if (::fork() == 0) {
      if (child == 1) ::setsid();
      while (true) ::pause();
    }
  }
  SUCCEED();
}

TEST(Fake, FloodsItsOutput) {
  const std::string line(99, 'x');
  for (int i = 0; i < 100'000; ++i) std::printf("%s\n", line.c_str());  // 10 MB
  FAIL() << "the end of a flood";
}

TEST(Fake, NeedsTooManyCores) {
  COURSE_REQUIRE_CORES(100000);
  FAIL() << "never reached";
}

// Fails the first time it runs in a folder, passes after: a timing test that lost to noise.
TEST(Fake, PassesOnItsSecondRun) {
  const char* folder = std::getenv("FAKE_STATE_DIR");
  ASSERT_NE(folder, nullptr) << "FAKE_STATE_DIR is not set";
  const auto mark = std::filesystem::path(folder) / "ran-once";
  if (!std::filesystem::exists(mark)) {
    std::ofstream(mark) << "ran\n";
    FAIL() << "a noisy first run";
  }
}

// A timing test that fails with spans recorded: it writes their trace where the grader says
// (COURSE_TRACE_DIR), and -v names the file.
TEST(Fake, FailsWithATimeline) {
  course::SpanRecorder recorder;
  { const auto span = recorder.span("the only span"); }
  ADD_FAILURE() << "the spans did not overlap:\n" << recorder.timeline();
}

TEST(Fake, RecordsAFigure) {
  course::record_figure("speedup", "1.86×", "≥ 1.25× on 2 cores");
}

// Two threads increment a plain int: a data race, which only ThreadSanitizer reports.
TEST(Fake, Races) {
  int counter = 0;
  std::atomic<bool> go{false};
  const auto add = [&] {
    while (!go.load()) {
    }
    for (int i = 0; i < 1000; ++i) counter = counter + 1;
  };
  std::thread first(add);
  std::thread second(add);
  go.store(true);
  first.join();
  second.join();
  EXPECT_GT(counter, 0);
}

// A chain of 200 processes, each in a session of its own that forks the next and stays: none of
// them is in the test's process group, and all but the first have a parent alive. The grader
// must find and kill every one.
TEST(Fake, LeavesAChainOfSessions) {
  if (::fork() == 0) {
    for (int depth = 0; depth < 200; ++depth) {
      ::setsid();
      if (::fork() != 0) break;  // this one stays; its child goes on
    }
    for (;;) ::pause();
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // the chain grows
}

// A test made to skip itself for too few cores by code that narrowed what the program sees (its
// CPU affinity, say): it claims fewer cores than the grader counts.
TEST(Fake, SkipsClaimingFewerCoresThanTheMachineHas) {
  GTEST_SKIP() << "needs 4 cores, this machine has 0";
}

// Tries to kill the grader that runs it, where FAKE_KILL_GRADER is set (Checks.*Kill*), then
// lingers: fails where the grader is out of its reach.
TEST(Fake, KillsTheGrader) {
  if (std::getenv("FAKE_KILL_GRADER") == nullptr) return;
  course::set_deadline(std::chrono::seconds(20));
  const bool killed = ::kill(::getppid(), SIGKILL) == 0;
  const int error = errno;
  std::this_thread::sleep_for(std::chrono::seconds(5));
  EXPECT_TRUE(killed) << "could not kill the grader: " << std::strerror(error);
}

// What a test program did when the grader ran it as root: rewrite the tests and the rubric, and
// leave files in the build tree (confined_rubric.toml, where FAKE_TRY_FORBIDDEN is set). It
// passes where it cannot.
TEST(Fake, CannotWriteTheCourse) {
  if (std::getenv("FAKE_TRY_FORBIDDEN") == nullptr) return;
  const std::filesystem::path source = __FILE__;
  for (const auto& file : {source, source.parent_path() / "fake_rubric.toml"}) {
    const int fd = ::open(file.c_str(), O_WRONLY | O_APPEND);  // opened, not written
    if (fd >= 0) ::close(fd);
    EXPECT_LT(fd, 0) << "could open " << file << " to write";
  }
  const auto made =
      std::filesystem::read_symlink("/proc/self/exe").parent_path() / "written-by-a-test";
  const int fd = ::open(made.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0644);
  if (fd >= 0) {
    ::close(fd);
    std::filesystem::remove(made);
  }
  EXPECT_LT(fd, 0) << "could write into the build tree";
}

// A test program runs under limits: a file it writes, the memory it maps (not under a sanitizer,
// whose shadow memory needs terabytes of address space), its CPU time, no core files.
TEST(Fake, RunsUnderLimits) {
  if (std::getenv("FAKE_TRY_FORBIDDEN") == nullptr) return;
  struct Named {
    int resource;
    const char* name;
  };
  std::vector<Named> limited = {{RLIMIT_FSIZE, "file size"}, {RLIMIT_CPU, "CPU time"}};
  if (course::sanitizer().empty()) limited.push_back({RLIMIT_AS, "address space"});
  if (::geteuid() != 0) limited.push_back({RLIMIT_NPROC, "processes"});
  for (const auto& [resource, name] : limited) {
    rlimit limit{};
    ASSERT_EQ(::getrlimit(resource, &limit), 0);
    EXPECT_NE(limit.rlim_max, RLIM_INFINITY) << "no limit on " << name;
  }
  rlimit core{};
  ASSERT_EQ(::getrlimit(RLIMIT_CORE, &core), 0);
  EXPECT_EQ(core.rlim_max, 0U) << "core files may be written";
}

// What a student who wants the points without the work tried: print gtest's own lines for the
// test, then end the program before gtest can say otherwise.
TEST(Fake, ForgesItsVerdict) {
  std::printf("[       OK ] Fake.ForgesItsVerdict (0 ms)\n[  PASSED  ] 1 test.\n");
  std::fflush(stdout);
  ::_exit(0);
}

}  // namespace
