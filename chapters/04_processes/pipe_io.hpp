// Exercise 4.2: moving bytes through a pipe — all of them, and in messages.
#pragma once

#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace processes {

// The writer closed the pipe before the reader had all it expected. (Given.)
class PipeClosed : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Exercise 4.2 — write_all(fd, bytes): writes every byte. One write() may take only part of
// them (a pipe holds 64 KiB; a full one takes what fits, or blocks), and a signal may interrupt
// it (EINTR): write again, from where it stopped. Any other error throws std::system_error
// (EPIPE, when nobody reads any more).
void write_all(int fd, std::string_view bytes);

// Exercise 4.2 — read_exactly(fd, count): reads exactly `count` bytes, however many read()
// calls that takes (again after EINTR). If the writer closes the pipe first (read() returns 0),
// throws PipeClosed, saying how many of the bytes came. Other errors throw std::system_error.
std::string read_exactly(int fd, std::size_t count);

// Exercise 4.2 — a frame: a message's length, as 8 bytes (a std::uint64_t, in this machine's
// byte order), then its bytes — so that the reader knows where one message ends.
void send_frame(int fd, std::string_view message);

// Exercise 4.2 — receive_frame(fd): the next message. std::nullopt when the writer closed the
// pipe before the frame began (a clean end); PipeClosed when it closed in the middle of one.
std::optional<std::string> receive_frame(int fd);

}  // namespace processes
