// Exercise 4.2: moving bytes through a pipe — all of them, and in frames.
#include <algorithm>
#include <cerrno>
#include <chrono>
#include <exception>
#include <string>
#include <string_view>
#include <system_error>
#include <thread>

#include <signal.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <course/testing.hpp>

#include "interrupter.hpp"
#include "pipe_io.hpp"
#include "unique_fd.hpp"

namespace {

using processes::make_pipe;
using processes::PipeClosed;
using processes::read_exactly;
using processes::receive_frame;
using processes::send_frame;
using processes::write_all;

// 8 MB: far more than the 64 KiB a pipe holds. read() returns what has arrived, often less than
// asked for; a blocking write() takes it all unless a signal interrupts it (see below).
std::string big_message() {
  std::string bytes(8 << 20, '\0');
  for (std::size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<char>(i * 7 + i / 256);
  return bytes;
}

TEST(PipeIo, WriteAllAndReadExactlyMoveEveryByte) {
  auto pipe = make_pipe();
  const std::string sent = big_message();
  std::string received;
  {
    std::jthread reader([&] { received = read_exactly(pipe.read.get(), sent.size()); });
    write_all(pipe.write.get(), sent);
  }
  EXPECT_EQ(received.size(), sent.size());
  EXPECT_TRUE(received == sent) << "the bytes must arrive unchanged, in order";
}

TEST(PipeIo, ReadExactlySaysWhenTheWriterClosedEarly) {
  auto pipe = make_pipe();
  write_all(pipe.write.get(), "abc");
  pipe.write.reset();
  try {
    (void)read_exactly(pipe.read.get(), 10);
    ADD_FAILURE() << "only 3 of 10 bytes came: read_exactly must throw PipeClosed";
  } catch (const PipeClosed& closed) {
    EXPECT_NE(std::string(closed.what()).find('3'), std::string::npos)
        << "it says how many bytes came: " << closed.what();
  }
}

// Writes every byte with plain write() calls, a little at a time, so that the reader is mostly
// waiting for more: the other end of the test of read_exactly below.
void write_slowly(int fd, std::string_view bytes) {
  constexpr std::size_t kChunk = 16 << 10;
  while (!bytes.empty()) {
    const ssize_t written = ::write(fd, bytes.data(), std::min(bytes.size(), kChunk));
    if (written < 0 && errno == EINTR) continue;
    if (written < 0) throw std::system_error(errno, std::generic_category(), "write");
    bytes.remove_prefix(static_cast<std::size_t>(written));
    std::this_thread::sleep_for(std::chrono::microseconds(500));
  }
}

// A signal interrupts the blocked write() of the thread calling write_all, every millisecond:
// write() then fails with EINTR, or returns the part it wrote (a pipe holds 64 KiB, the message
// is 8 MB). Either way write_all must go on. If it throws, the test closes the write end, so
// that the reader ends too, and says what it threw.
TEST(PipeIo, WriteAllGoesOnWhenSignalsInterrupt) {
  auto pipe = make_pipe();
  const std::string sent = big_message();
  std::string received;
  std::exception_ptr reader_failed;
  std::jthread reader([&] {
    try {
      received = read_exactly(pipe.read.get(), sent.size());
    } catch (...) {
      reader_failed = std::current_exception();
    }
  });
  long interruptions = 0;
  std::string write_failed;
  {
    const processes_testing::Interrupter interrupter;
    try {
      write_all(pipe.write.get(), sent);
    } catch (const std::exception& error) {
      write_failed = error.what();
      pipe.write.reset();  // the reader sees the end, and stops waiting
    }
    interruptions = interrupter.sent();
  }
  reader.join();
  ASSERT_EQ(write_failed, "") << "write_all threw while a signal interrupted it every millisecond ("
                              << interruptions
                              << " signals sent): an EINTR is no error — call write() again";
  ASSERT_FALSE(reader_failed) << "read_exactly threw: it did not get every byte write_all "
                                 "should have written";
  EXPECT_TRUE(received == sent) << "the bytes must arrive unchanged, in order";
}

// The same for read_exactly: the thread calling it is interrupted every millisecond while it
// waits for bytes; another thread writes 1 MB, 16 KiB every half millisecond. (A read() that
// has got some bytes returns them when interrupted; one still waiting fails with EINTR.)
TEST(PipeIo, ReadExactlyGoesOnWhenSignalsInterrupt) {
  auto pipe = make_pipe();
  const std::string sent = big_message().substr(0, 1 << 20);
  // If read_exactly fails, the test closes the read end: the writer's write() must then fail
  // with EPIPE rather than raise SIGPIPE, which would end the test program.
  struct sigaction ignore {};
  ignore.sa_handler = SIG_IGN;
  struct sigaction previous {};
  ::sigaction(SIGPIPE, &ignore, &previous);
  std::jthread writer([&] {
    try {
      write_slowly(pipe.write.get(), sent);
    } catch (const std::system_error&) {  // EPIPE: the reader gave up
    }
  });
  std::string received;
  std::string read_failed;
  long interruptions = 0;
  {
    const processes_testing::Interrupter interrupter;
    try {
      received = read_exactly(pipe.read.get(), sent.size());
    } catch (const std::exception& error) {
      read_failed = error.what();
      pipe.read.reset();  // the writer's write() fails (EPIPE), and it stops
    }
    interruptions = interrupter.sent();
  }
  writer.join();
  ::sigaction(SIGPIPE, &previous, nullptr);
  ASSERT_EQ(read_failed, "")
      << "read_exactly threw while a signal interrupted it every millisecond (" << interruptions
      << " signals sent): an EINTR is no error — call read() again";
  EXPECT_TRUE(received == sent) << "the bytes must arrive unchanged, in order";
}

TEST(Frames, CarryMessagesOfAnySize) {
  auto pipe = make_pipe();
  const std::string big = big_message();
  std::optional<std::string> empty, hello, large;
  {
    std::jthread reader([&] {
      empty = receive_frame(pipe.read.get());
      hello = receive_frame(pipe.read.get());
      large = receive_frame(pipe.read.get());
    });
    send_frame(pipe.write.get(), "");
    send_frame(pipe.write.get(), "hello");
    send_frame(pipe.write.get(), big);
  }
  EXPECT_EQ(empty, "") << "an empty message is a frame too";
  EXPECT_EQ(hello, "hello");
  EXPECT_TRUE(large == big) << "an 8 MB message arrives whole";
}

TEST(Frames, AClosedPipeBetweenFramesIsAnEnd) {
  auto pipe = make_pipe();
  send_frame(pipe.write.get(), "last");
  pipe.write.reset();
  EXPECT_EQ(receive_frame(pipe.read.get()), "last");
  EXPECT_EQ(receive_frame(pipe.read.get()), std::nullopt) << "closed between frames: the end";
}

TEST(Frames, AClosedPipeInsideAFrameIsAnError) {
  auto pipe = make_pipe();
  const std::uint64_t length = 100;
  write_all(pipe.write.get(),
            std::string_view(reinterpret_cast<const char*>(&length), sizeof length));
  write_all(pipe.write.get(), "only ten b");
  pipe.write.reset();
  EXPECT_THROW((void)receive_frame(pipe.read.get()), PipeClosed)
      << "a frame announced 100 bytes, and 10 came before the pipe closed";
}

TEST(Frames, AClosedPipeInsideAFramesLengthIsAnError) {
  auto pipe = make_pipe();
  write_all(pipe.write.get(), "abc");  // 3 of the 8 bytes of a length
  pipe.write.reset();
  EXPECT_THROW((void)receive_frame(pipe.read.get()), PipeClosed)
      << "3 of a frame's 8 length bytes came, then the pipe closed: that is a broken frame, not "
         "the clean end between frames (which is 0 bytes)";
}

}  // namespace
