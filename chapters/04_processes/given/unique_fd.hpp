// Given: a file descriptor that closes itself, and a pipe made of two of them.
#pragma once

#include <cerrno>
#include <system_error>

#include <fcntl.h>
#include <unistd.h>

#include <course/unique_fd.hpp>

namespace processes {

// A file descriptor that closes itself when destroyed, moves but does not copy: get(), valid(),
// reset() to close it now. (Shared with the course's test support: chapters/common/course/.)
using UniqueFd = course::UniqueFd;

struct Pipe {
  UniqueFd read;  // what is written to `write` comes out here
  UniqueFd write;
};

// A new pipe. Both ends are close-on-exec, so a program started with exec does not inherit them
// by accident; after fork, both processes hold both ends until they close what they do not use.
inline Pipe make_pipe() {
  int ends[2];
  if (::pipe2(ends, O_CLOEXEC) != 0)
    throw std::system_error(errno, std::generic_category(), "pipe2");
  return Pipe{UniqueFd(ends[0]), UniqueFd(ends[1])};
}

}  // namespace processes
