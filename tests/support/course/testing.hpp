// The course's test support, in one include: every chapter's tests start with
//   #include <course/testing.hpp>
#pragma once

#include <course/activity_gauge.hpp>
#include <course/children.hpp>
#include <course/crash_note.hpp>
#include <course/deadline.hpp>
#include <course/decimal.hpp>
#include <course/figures.hpp>
#include <course/machine.hpp>
#include <course/sanitizer.hpp>
#include <course/span_recorder.hpp>
#include <course/thread_state.hpp>
#include <course/time_scale.hpp>
#include <course/timing.hpp>
