// Exercise 4.2's hidden tests: the same properties as the visible ones, on other inputs drawn at
// random — a solution that fits the visible cases only (one 8 MB message; frames of 0 bytes,
// 5 bytes and 8 MB) fails here. Left out of what students receive; the rubric marks them hidden.
#include <algorithm>
#include <cerrno>
#include <exception>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <unistd.h>

#include <fmt/format.h>
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

// Reads whatever is left until the writer closes the pipe.
void drain(int fd) {
  char buffer[1 << 16];
  while (true) {
    const ssize_t got = ::read(fd, buffer, sizeof buffer);
    if (got == 0 || (got < 0 && errno != EINTR)) return;
  }
}

template <class Draw>
std::string random_bytes(std::size_t size, Draw& draw) {
  std::string bytes(size, '\0');
  for (char& byte : bytes) byte = static_cast<char>(draw() % 256);  // '\0' among them
  return bytes;
}

// Pieces written with write_all and read with read_exactly, each side cutting the same bytes its
// own way: read_exactly must take exactly what it is asked for, leaving the rest in the pipe.
TEST(PipeIo, ReadExactlyTakesPiecesOfAnySizeAndNoMore) {
  const unsigned seed = std::random_device{}();
  std::mt19937 draw(seed);
  const std::string sent = random_bytes(1'000'000 + draw() % 1'000'000, draw);
  std::vector<std::size_t> written_in, read_in;
  for (const auto pieces : {&written_in, &read_in}) {
    for (std::size_t total = 0; total < sent.size();) {
      const std::size_t piece = std::min<std::size_t>(
          sent.size() - total, draw() % 4 == 0 ? 1 + draw() % 16 : 1 + draw() % 150'000);
      pieces->push_back(piece);
      total += piece;
    }
  }
  auto pipe = make_pipe();
  std::string received;
  std::string failed;
  {
    std::jthread writer([&] {
      std::size_t at = 0;
      for (const std::size_t piece : written_in) {
        write_all(pipe.write.get(), std::string_view(sent).substr(at, piece));
        at += piece;
      }
      pipe.write.reset();
    });
    try {
      for (const std::size_t piece : read_in) {
        const std::string got = read_exactly(pipe.read.get(), piece);
        if (got.size() != piece) {
          failed = fmt::format("read_exactly(fd, {}) returned {} bytes", piece, got.size());
          break;
        }
        received += got;
      }
    } catch (const std::exception& error) {
      failed = fmt::format("read_exactly threw: {}", error.what());
    }
    if (!failed.empty()) drain(pipe.read.get());  // so that the writer ends
  }
  ASSERT_EQ(failed, "") << fmt::format("(seed {})", seed);
  EXPECT_EQ(received.size(), sent.size());
  EXPECT_TRUE(received == sent) << fmt::format(
      "{} bytes written in {} pieces, read in {}: they must arrive unchanged, in order (seed {})",
      sent.size(), written_in.size(), read_in.size(), seed);
  EXPECT_THROW((void)read_exactly(pipe.read.get(), 1 + draw() % 100), PipeClosed)
      << "the writer closed the pipe: nothing more comes";
}

TEST(Frames, CarryManyMessagesOfRandomSizes) {
  const unsigned seed = std::random_device{}();
  std::mt19937 draw(seed);
  std::vector<std::string> messages;
  for (const std::size_t size : {1, 7, 8, 9, 255, 256, 65'535, 65'536, 65'537}) {
    messages.push_back(random_bytes(size, draw));
  }
  for (int i = 0; i < 30; ++i) {
    messages.push_back(random_bytes(draw() % 3 == 0 ? draw() % 20 : draw() % 200'000, draw));
  }
  std::shuffle(messages.begin(), messages.end(), draw);
  auto pipe = make_pipe();
  std::vector<std::optional<std::string>> received;
  std::string failed;
  {
    std::jthread reader([&] {
      try {
        for (std::size_t i = 0; i <= messages.size(); ++i) {
          received.push_back(receive_frame(pipe.read.get()));
        }
      } catch (const std::exception& error) {
        failed =
            fmt::format("receive_frame threw after {} frames: {}", received.size(), error.what());
      }
      drain(pipe.read.get());  // so that the writer ends, whatever was read
    });
    try {
      for (const auto& message : messages) send_frame(pipe.write.get(), message);
    } catch (...) {
      pipe.write.reset();  // the reader sees the end, and stops waiting
      throw;
    }
    pipe.write.reset();
  }
  ASSERT_EQ(failed, "") << fmt::format("(seed {})", seed);
  ASSERT_EQ(received.size(), messages.size() + 1);
  for (std::size_t i = 0; i < messages.size(); ++i) {
    ASSERT_TRUE(received[i].has_value()) << fmt::format("frame {} (seed {})", i, seed);
    EXPECT_TRUE(*received[i] == messages[i])
        << fmt::format("frame {} of {}: {} bytes sent, {} received (seed {})", i, messages.size(),
                       messages[i].size(), received[i]->size(), seed);
  }
  EXPECT_EQ(received.back(), std::nullopt) << "closed between frames: the end";
}

}  // namespace
