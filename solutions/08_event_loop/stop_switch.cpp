#include "stop_switch.hpp"

#include <csignal>
#include <utility>

#include "uv_error.hpp"

namespace uvx {

StopSwitch::StopSwitch(Loop& loop, std::function<void()> on_stop)
    : on_stop_(std::move(on_stop)),
      interrupt_(loop, uv_signal_init),
      terminate_(loop, uv_signal_init),
      async_(loop, [](uv_loop_t* uv_loop, uv_async_t* async) {
        return uv_async_init(uv_loop, async, &StopSwitch::on_async);
      }) {
  interrupt_.get()->data = this;
  terminate_.get()->data = this;
  async_.get()->data = this;
  // libuv's own signal handler only writes to a pipe; the callbacks run on the loop's thread,
  // where anything may be done — unlike in a real signal handler.
  check(uv_signal_start(interrupt_.get(), &StopSwitch::on_signal, SIGINT), "uv_signal_start");
  check(uv_signal_start(terminate_.get(), &StopSwitch::on_signal, SIGTERM), "uv_signal_start");
}

void StopSwitch::request() noexcept {
  const std::scoped_lock lock(async_mutex_);
  // uv_async_send is the one libuv call that is safe from another thread. Several sends before
  // the loop looks make one callback.
  if (async_) uv_async_send(async_.get());
}

void StopSwitch::on_signal(uv_signal_t* signal, int /*signal_number*/) {
  static_cast<StopSwitch*>(signal->data)->stop();
}

void StopSwitch::on_async(uv_async_t* async) {
  static_cast<StopSwitch*>(async->data)->stop();
}

void StopSwitch::stop() {
  // A signal and a request can both be pending in one turn of the loop: the first one stops.
  if (stopped_) return;
  stopped_ = true;
  interrupt_.close();
  terminate_.close();
  {
    const std::scoped_lock lock(async_mutex_);
    async_.close();
  }
  // Moved out: on_stop may destroy this StopSwitch, and with it the member it runs from.
  const std::function<void()> on_stop = std::move(on_stop_);
  on_stop();
}

}  // namespace uvx
