#include "pipe_io.hpp"

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <system_error>

#include <unistd.h>

#include <course/not_implemented.hpp>

namespace processes {

void write_all([[maybe_unused]] int fd, [[maybe_unused]] std::string_view bytes) {
  // TODO(4.2): write() in a loop until every byte is written; retry on EINTR.
  throw course::NotImplemented("4.2", "write_all");
}

std::string read_exactly([[maybe_unused]] int fd, [[maybe_unused]] std::size_t count) {
  // TODO(4.2): read() in a loop until `count` bytes came; retry on EINTR; 0 means closed.
  throw course::NotImplemented("4.2", "read_exactly");
}

void send_frame([[maybe_unused]] int fd, [[maybe_unused]] std::string_view message) {
  // TODO(4.2): the length, then the bytes.
  throw course::NotImplemented("4.2", "send_frame");
}

std::optional<std::string> receive_frame([[maybe_unused]] int fd) {
  // TODO(4.2): read the length (a clean end is possible only before its first byte), then
  // exactly that many bytes.
  throw course::NotImplemented("4.2", "receive_frame");
}

}  // namespace processes
