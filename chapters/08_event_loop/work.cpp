#include "work.hpp"

#include <memory>
#include <utility>

#include <uv.h>

#include <course/not_implemented.hpp>

#include "uv_error.hpp"

namespace uvx {

namespace {

// One piece of work: the request libuv fills in, what to run, and how it went. It lives from
// uv_queue_work until its after-work callback, which frees it.
struct Job {
  uv_work_t request{};
  std::function<void()> work;
  std::function<void(std::exception_ptr)> done;
  std::exception_ptr error;  // written on the pool's thread, read on the loop's after it
};

// On a pool thread.
[[maybe_unused]] void run_work([[maybe_unused]] uv_work_t* request) {
  // TODO(8.4): from the request's data to the Job; run its work. An exception must not leave
  // this function (it would end the program): keep it in the Job.
  course::report_not_implemented("8.4", "run_work");
}

// On the loop's thread, once the work is over.
[[maybe_unused]] void after_work([[maybe_unused]] uv_work_t* request, [[maybe_unused]] int status) {
  // TODO(8.4): take the Job back (a unique_ptr); a negative status (UV_ECANCELED) becomes its
  // error (a UvError); call done with the error (nullptr when the work returned).
  course::report_not_implemented("8.4", "after_work");
}

}  // namespace

void queue_work([[maybe_unused]] Loop& loop, [[maybe_unused]] std::function<void()> work,
                [[maybe_unused]] std::function<void(std::exception_ptr)> done) {
  // TODO(8.4): a Job (make_unique) with the two functions, its request's data leading back to
  // it; uv_queue_work with run_work and after_work (checked); released: after_work frees it.
  throw course::NotImplemented("8.4", "queue_work");
}

}  // namespace uvx
