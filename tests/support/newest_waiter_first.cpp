// course::NewestWaiterFirst: the test program's pthread_cond_* in front of the C library's.
//
// While one is alive, a thread that waits on a condition variable registers itself in a list
// for that variable and sleeps on a private condition variable of its own; signal wakes the
// last one registered, broadcast all of them. Waiters registered in that list are served from it
// even after the NewestWaiterFirst is gone; everything else goes to the C library's functions
// (found with dlsym(RTLD_NEXT), which under ThreadSanitizer are its interceptors, so it still
// sees every wait and signal).
#include <atomic>
#include <cerrno>
#include <ctime>
#include <map>
#include <vector>

#include <dlfcn.h>
#include <pthread.h>

#include <course/newest_waiter_first.hpp>

namespace {

// The C library's functions.
struct Real {
  int (*wait)(pthread_cond_t*, pthread_mutex_t*);
  int (*timedwait)(pthread_cond_t*, pthread_mutex_t*, const timespec*);
  int (*clockwait)(pthread_cond_t*, pthread_mutex_t*, clockid_t, const timespec*);
  int (*signal)(pthread_cond_t*);
  int (*broadcast)(pthread_cond_t*);
};

template <class F>
F next(const char* name) {
  return reinterpret_cast<F>(::dlsym(RTLD_NEXT, name));
}

const Real& real() {
  static const Real functions{
      next<decltype(Real::wait)>("pthread_cond_wait"),
      next<decltype(Real::timedwait)>("pthread_cond_timedwait"),
      next<decltype(Real::clockwait)>("pthread_cond_clockwait"),
      next<decltype(Real::signal)>("pthread_cond_signal"),
      next<decltype(Real::broadcast)>("pthread_cond_broadcast"),
  };
  return functions;
}

struct Waiter {
  pthread_cond_t wake = PTHREAD_COND_INITIALIZER;  // this waiter's own: only it waits here
  bool woken = false;
};

std::atomic<int> guards{0};                            // NewestWaiterFirst objects alive
std::atomic<int> registered{0};                        // waiters in `waiting`, of every variable
pthread_mutex_t registry = PTHREAD_MUTEX_INITIALIZER;  // guards waiting() and each Waiter

// The registered waiters of each condition variable, oldest first. Guarded by `registry`.
std::map<pthread_cond_t*, std::vector<Waiter*>>& waiting() {
  static std::map<pthread_cond_t*, std::vector<Waiter*>> lists;
  return lists;
}

// A wait, newest first: `until` null waits for ever, else until that time on `clock`.
int wait_newest_first(pthread_cond_t* cond, pthread_mutex_t* mutex, clockid_t clock,
                      const timespec* until) {
  Waiter me;
  ::pthread_mutex_lock(&registry);
  waiting()[cond].push_back(&me);
  registered.fetch_add(1);
  // Registered first, then the caller's mutex let go: a signal sent from now on finds `me`.
  ::pthread_mutex_unlock(mutex);
  int status = 0;
  while (!me.woken && status != ETIMEDOUT) {
    status = until == nullptr ? real().wait(&me.wake, &registry)
                              : real().clockwait(&me.wake, &registry, clock, until);
  }
  if (!me.woken) {  // timed out: no longer waiting
    std::erase(waiting()[cond], &me);
    registered.fetch_sub(1);
  }
  ::pthread_mutex_unlock(&registry);
  ::pthread_cond_destroy(&me.wake);
  ::pthread_mutex_lock(mutex);
  return me.woken ? 0 : ETIMEDOUT;
}

// Wakes the newest (or every) registered waiter of `cond`; false when none is registered.
bool wake_registered(pthread_cond_t* cond, bool all) {
  if (registered.load() == 0) return false;
  ::pthread_mutex_lock(&registry);
  bool woke = false;
  {
    if (const auto found = waiting().find(cond); found != waiting().end()) {
      auto& list = found->second;
      while (!list.empty()) {
        Waiter* newest = list.back();
        list.pop_back();
        registered.fetch_sub(1);
        newest->woken = true;
        real().signal(&newest->wake);
        woke = true;
        if (!all) break;
      }
    }
  }
  ::pthread_mutex_unlock(&registry);
  return woke;
}

}  // namespace

namespace course {

NewestWaiterFirst::NewestWaiterFirst() {
  guards.fetch_add(1);
}
NewestWaiterFirst::~NewestWaiterFirst() {
  guards.fetch_sub(1);
}

}  // namespace course

extern "C" {

int pthread_cond_wait(pthread_cond_t* cond, pthread_mutex_t* mutex) {
  if (guards.load() == 0) return real().wait(cond, mutex);
  return wait_newest_first(cond, mutex, CLOCK_REALTIME, nullptr);
}

// (A condition variable made with a clock attribute other than the real-time clock would be
// waited on the wrong clock here; std::condition_variable does not make such ones.)
int pthread_cond_timedwait(pthread_cond_t* cond, pthread_mutex_t* mutex, const timespec* until) {
  if (guards.load() == 0) return real().timedwait(cond, mutex, until);
  return wait_newest_first(cond, mutex, CLOCK_REALTIME, until);
}

int pthread_cond_clockwait(pthread_cond_t* cond, pthread_mutex_t* mutex, clockid_t clock,
                           const timespec* until) {
  if (guards.load() == 0) return real().clockwait(cond, mutex, clock, until);
  return wait_newest_first(cond, mutex, clock, until);
}

int pthread_cond_signal(pthread_cond_t* cond) {
  // A waiter from before the guard waits in the C library's variable: wake one there too if no
  // registered one was woken.
  if (wake_registered(cond, false)) return 0;
  return real().signal(cond);
}

int pthread_cond_broadcast(pthread_cond_t* cond) {
  wake_registered(cond, true);
  return real().broadcast(cond);
}

}  // extern "C"
