#include "fetchers.hpp"

#include <cstddef>
#include <exception>
#include <stdexcept>
#include <thread>

#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>

#include <course/not_implemented.hpp>
#include <course/unique_fd.hpp>

#include "gather.hpp"
#include "loop.hpp"
#include "run.hpp"
#include "slow_server.hpp"
#include "task.hpp"
#include "tcp_stream.hpp"

namespace fetch {

std::vector<std::string> with_threads([[maybe_unused]] int port,
                                      [[maybe_unused]] const std::vector<int>& items) {
  // TODO(8.7): a std::jthread per item, each calling slow::fetch_blocking and keeping the VALUE
  // in its own slot of the result (or the exception: none may leave a thread). Start them all,
  // then let them join; then rethrow the first exception in the order of the items.
  throw course::NotImplemented("8.7", "fetch::with_threads");
}

std::vector<std::string> with_processes([[maybe_unused]] int port,
                                        [[maybe_unused]] const std::vector<int>& items,
                                        [[maybe_unused]] int processes) {
  // TODO(8.7): a pipe and a fork per child; child k fetches items k, k + processes, ... with
  // slow::fetch_blocking, writes a line per item into its pipe (its index, and the VALUE or the
  // error) and _exits. The parent reads every pipe to its end, waits for every child, puts the
  // VALUEs in order, and throws for the first failed item.
  throw course::NotImplemented("8.7", "fetch::with_processes");
}

std::vector<std::string> on_the_loop([[maybe_unused]] int port,
                                     [[maybe_unused]] const std::vector<int>& items) {
  // TODO(8.7): a Task<std::string> per item — TcpStream::connect, write slow::request_line,
  // read until the newline, slow::parse_answer — gathered and run on a uvx::Loop of its own.
  throw course::NotImplemented("8.7", "fetch::on_the_loop");
}

}  // namespace fetch
