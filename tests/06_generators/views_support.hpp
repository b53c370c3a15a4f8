// Whether this compiler can build the standard library's range adaptors (std::views::filter,
// take, transform). clang 14 cannot compile those of libstdc++ 12 at all — even
// `std::vector<int>{} | std::views::transform(f)` fails inside <ranges> ("no matching function
// for call to '__begin'"); clang 15 can. Where it cannot, the tests that pipe a Generator into
// std::views run the same pipeline by hand, or with exercise 6.3's own stages, instead.
#pragma once

#if defined(__clang__) && __clang_major__ < 15 && defined(__GLIBCXX__)
#define COURSE_STD_VIEWS_COMPILE 0
#else
#define COURSE_STD_VIEWS_COMPILE 1
#endif
