#include "pipe_io.hpp"

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <string>
#include <system_error>

#include <unistd.h>

namespace processes {

namespace {

// Reads until `buffer` is full or the pipe is closed; returns how many bytes came.
std::size_t read_up_to(int fd, char* buffer, std::size_t count) {
  std::size_t done = 0;
  while (done < count) {
    const ssize_t got = ::read(fd, buffer + done, count - done);
    if (got > 0) {
      done += static_cast<std::size_t>(got);
    } else if (got == 0) {
      break;  // the writer closed its end, and the pipe is empty
    } else if (errno != EINTR) {
      throw std::system_error(errno, std::generic_category(), "read");
    }
  }
  return done;
}

}  // namespace

void write_all(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    // Teacher's note: write() may write fewer bytes than asked — a pipe takes what fits in its
    // buffer — and returns how many. The rest must be written again.
    const ssize_t written = ::write(fd, bytes.data(), bytes.size());
    if (written >= 0) {
      bytes.remove_prefix(static_cast<std::size_t>(written));
    } else if (errno != EINTR) {
      throw std::system_error(errno, std::generic_category(), "write");
    }
  }
}

std::string read_exactly(int fd, std::size_t count) {
  std::string bytes(count, '\0');
  const std::size_t got = read_up_to(fd, bytes.data(), count);
  if (got < count) {
    throw PipeClosed("the pipe was closed after " + std::to_string(got) + " of " +
                     std::to_string(count) + " bytes");
  }
  return bytes;
}

void send_frame(int fd, std::string_view message) {
  const std::uint64_t length = message.size();
  char header[sizeof length];
  std::memcpy(header, &length, sizeof length);
  write_all(fd, std::string_view(header, sizeof header));
  write_all(fd, message);
}

std::optional<std::string> receive_frame(int fd) {
  char header[sizeof(std::uint64_t)];
  const std::size_t got = read_up_to(fd, header, sizeof header);
  if (got == 0) return std::nullopt;  // closed between frames: the writer is done
  if (got < sizeof header) {
    throw PipeClosed("the pipe was closed in the middle of a frame's length (" +
                     std::to_string(got) + " of 8 bytes)");
  }
  std::uint64_t length = 0;
  std::memcpy(&length, header, sizeof length);
  return read_exactly(fd, length);
}

}  // namespace processes
