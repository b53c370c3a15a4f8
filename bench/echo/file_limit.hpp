// The soft limit on open files, raised: shared by the echo servers and their load client.
#pragma once

#include <sys/resource.h>

namespace bench {

// A thousand connections need a thousand descriptors on each side, and the usual soft limit is
// 1,024. Any process may raise its soft limit up to the hard one, without privileges. Gives the
// limit in force afterwards (RLIM_INFINITY for none), or 0 if it could not be read.
inline rlim_t raise_file_limit() {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return 0;
  if (limit.rlim_cur < limit.rlim_max) {
    const rlim_t before = limit.rlim_cur;
    limit.rlim_cur = limit.rlim_max;
    if (::setrlimit(RLIMIT_NOFILE, &limit) != 0) return before;
  }
  return limit.rlim_cur;
}

}  // namespace bench
