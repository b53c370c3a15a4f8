// Exercise 4.2: moving bytes through a pipe — all of them, and in frames.
#include <string>
#include <thread>

#include <signal.h>
#include <sys/time.h>

#include <gtest/gtest.h>

#include <course/testing.hpp>

#include "pipe_io.hpp"
#include "unique_fd.hpp"

namespace {

using processes::make_pipe;
using processes::PipeClosed;
using processes::read_exactly;
using processes::receive_frame;
using processes::send_frame;
using processes::write_all;

// 8 MB: far more than the 64 KiB a pipe holds, so write() and read() come back with parts.
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

// A signal that interrupts read() or write() makes it fail with EINTR (the handler below is
// installed without SA_RESTART, like many programs' handlers are): they must simply try again.
extern "C" void on_alarm(int /*signal*/) {}

TEST(PipeIo, GoesOnWhenSignalsInterrupt) {
  struct sigaction action {};
  action.sa_handler = on_alarm;
  sigemptyset(&action.sa_mask);
  action.sa_flags = 0;  // no SA_RESTART
  struct sigaction old_action {};
  sigaction(SIGALRM, &action, &old_action);
  const itimerval every_millisecond{{0, 1000}, {0, 1000}};
  setitimer(ITIMER_REAL, &every_millisecond, nullptr);

  auto pipe = make_pipe();
  const std::string sent = big_message();
  std::string received;
  {
    std::jthread reader([&] { received = read_exactly(pipe.read.get(), sent.size()); });
    write_all(pipe.write.get(), sent);
  }
  const itimerval stop{};
  setitimer(ITIMER_REAL, &stop, nullptr);
  sigaction(SIGALRM, &old_action, nullptr);
  EXPECT_TRUE(received == sent) << "an EINTR is no error: read or write again";
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

}  // namespace
