// course::NotImplemented: the message that tells a student where to start.
#include <stdexcept>
#include <type_traits>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <course/not_implemented.hpp>

namespace {

using ::testing::HasSubstr;

TEST(NotImplemented, NamesTheExerciseTheLessonAndTheTodo) {
  EXPECT_EQ(course::not_implemented_message("3.2", "Gil::take",
                                            "/home/ada/course/chapters/03_gil/gil.cpp", 42),
            "exercise 3.2: Gil::take is not implemented yet — see chapters/03_gil/README.md "
            "(TODO(3.2) in chapters/03_gil/gil.cpp:42)");
}

TEST(NotImplemented, CopesWithAFileOutsideTheChapters) {
  EXPECT_EQ(course::not_implemented_message("1.1", "timed", "/tmp/elsewhere.hpp", 7),
            "exercise 1.1: timed is not implemented yet — see the chapter's README.md "
            "(TODO(1.1) in /tmp/elsewhere.hpp:7)");
}

TEST(NotImplemented, SaysItOnStderrWhenThrown) {
  ::testing::internal::CaptureStderr();
  const course::NotImplemented missing("1.3", "fetch_all");
  const std::string said = ::testing::internal::GetCapturedStderr();
  EXPECT_EQ(said, std::string("[not implemented] ") + missing.what() + "\n");
  EXPECT_THAT(missing.what(), HasSubstr("exercise 1.3: fetch_all is not implemented yet"));
  EXPECT_THAT(missing.what(), HasSubstr("test_not_implemented.cpp:"))
      << "the place of the throw is where the TODO is";
}

// A test that expects, say, std::invalid_argument must fail on a skeleton, not pass by luck.
static_assert(!std::is_base_of_v<std::logic_error, course::NotImplemented>);
static_assert(!std::is_base_of_v<std::runtime_error, course::NotImplemented>);

}  // namespace
