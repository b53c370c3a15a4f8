#include "stop_switch.hpp"

#include <csignal>
#include <utility>

#include <course/not_implemented.hpp>

#include "uv_error.hpp"

namespace uvx {

StopSwitch::StopSwitch(Loop& loop, std::function<void()> on_stop)
    : on_stop_(std::move(on_stop)),
      interrupt_(loop, uv_signal_init),
      terminate_(loop, uv_signal_init),
      async_(loop, [](uv_loop_t* uv_loop, uv_async_t* async) {
        return uv_async_init(uv_loop, async, &StopSwitch::on_async);
      }) {
  // TODO(8.3): every handle's data leads back here; uv_signal_start the two signal handles with
  // on_signal, one for SIGINT and one for SIGTERM (checked: uvx::check).
  throw course::NotImplemented("8.3", "StopSwitch::StopSwitch");
}

void StopSwitch::request() noexcept {
  // TODO(8.3): under async_mutex_, uv_async_send the async handle — if it is still open.
  course::report_not_implemented("8.3", "StopSwitch::request");
}

void StopSwitch::on_signal([[maybe_unused]] uv_signal_t* signal, int /*signal_number*/) {
  // TODO(8.3): from the handle's data to the StopSwitch; stop it.
  course::report_not_implemented("8.3", "StopSwitch::on_signal");
}

void StopSwitch::on_async([[maybe_unused]] uv_async_t* async) {
  // TODO(8.3): the same, for the async handle.
  course::report_not_implemented("8.3", "StopSwitch::on_async");
}

void StopSwitch::stop() {
  // TODO(8.3): once only (stopped_). Close the three handles (the async one under async_mutex_:
  // request() may be sending on it from another thread), then call on_stop — moved out first:
  // it may destroy this StopSwitch.
  throw course::NotImplemented("8.3", "StopSwitch::stop");
}

}  // namespace uvx
