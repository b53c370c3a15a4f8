#include "finishing_order.hpp"

#include <mutex>
#include <thread>

#include <course/not_implemented.hpp>

namespace threads {

std::vector<int> finishing_order([[maybe_unused]] int workers,
                                 [[maybe_unused]] const std::function<void(int)>& work) {
  // TODO(2.2): one std::jthread per worker; a std::mutex around the shared list.
  throw course::NotImplemented("2.2", "finishing_order");
}

}  // namespace threads
