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
  // TODO(8.7): a thread per item, each making one blocking fetch (slow::fetch_blocking), all
  // waiting at once. See the lesson.
  throw course::NotImplemented("8.7", "fetch::with_threads");
}

std::vector<std::string> with_processes([[maybe_unused]] int port,
                                        [[maybe_unused]] const std::vector<int>& items,
                                        [[maybe_unused]] int processes) {
  // TODO(8.7): `processes` child processes, each fetching its share of the items one after the
  // other and sending what it got back through a pipe. See the lesson.
  throw course::NotImplemented("8.7", "fetch::with_processes");
}

std::vector<std::string> on_the_loop([[maybe_unused]] int port,
                                     [[maybe_unused]] const std::vector<int>& items) {
  // TODO(8.7): a task per item on a uvx::Loop of its own (8.5's awaitables), all waiting at once.
  // See the lesson.
  throw course::NotImplemented("8.7", "fetch::on_the_loop");
}

}  // namespace fetch
