#include "work.hpp"

#include <memory>
#include <utility>

#include <uv.h>

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

// On a pool thread. An exception must not leave it (libuv's thread would end the program): it
// travels to the loop's thread in the Job.
void run_work(uv_work_t* request) {
  auto& job = *static_cast<Job*>(request->data);
  try {
    job.work();
  } catch (...) {
    job.error = std::current_exception();
  }
}

// On the loop's thread, once the work is over (libuv's queue between the two threads orders
// the Job's writes before these reads).
void after_work(uv_work_t* request, int status) {
  const std::unique_ptr<Job> job(static_cast<Job*>(request->data));
  if (status < 0) job->error = std::make_exception_ptr(UvError("uv_queue_work", status));
  job->done(job->error);
}

}  // namespace

void queue_work(Loop& loop, std::function<void()> work,
                std::function<void(std::exception_ptr)> done) {
  auto job = std::make_unique<Job>();
  job->work = std::move(work);
  job->done = std::move(done);
  job->request.data = job.get();
  check(uv_queue_work(loop.get(), &job->request, &run_work, &after_work), "uv_queue_work");
  (void)job.release();  // after_work frees it
}

}  // namespace uvx
