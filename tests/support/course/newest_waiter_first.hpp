// A condition variable that wakes its newest waiter first — legal, and the worst case for code
// that counts on notify_one waking the right thread.
//
// The standard says notify_one wakes *one* of the waiting threads, not which one. glibc's
// happens to wake the one that has waited longest, so code that needs a particular waiter
// woken (the one whose ticket is served) and calls notify_one works almost always — until
// threads re-wait in another order and a turn is lost for good. While a NewestWaiterFirst
// lives, every condition variable of the program (std::condition_variable, through
// pthread_cond_*) wakes the thread that started waiting last: the mistake shows at the first
// hand-off, every time.
//
//   {
//     const course::NewestWaiterFirst newest_first;
//     ... threads wait and notify ...
//   }
//
// Linking course::newest_waiter_first (an object library, like course::allocation_counter)
// puts pthread_cond_wait, _timedwait, _clockwait, _signal and _broadcast of the test program
// in front of the C library's: outside a NewestWaiterFirst they only pass the calls on.
#pragma once

namespace course {

class [[nodiscard]] NewestWaiterFirst {
 public:
  NewestWaiterFirst();
  ~NewestWaiterFirst();
  NewestWaiterFirst(const NewestWaiterFirst&) = delete;
  NewestWaiterFirst& operator=(const NewestWaiterFirst&) = delete;
};

}  // namespace course
