#include "two_way_examples.hpp"

#include <utility>

namespace generators {

TwoWay<double, double> running_average() {
  // Teacher's note: the state of the computation — a sum and a count — lives in the frame,
  // between two sends, as a local would in a loop.
  double sum = 0;
  long count = 0;
  double average = 0;
  for (;;) {
    const double term = co_yield average;
    sum += term;
    ++count;
    average = sum / static_cast<double>(count);
  }
}

TwoWay<std::string, char> words() {
  std::string word;
  std::string finished;
  for (;;) {
    const char c = co_yield std::exchange(finished, {});
    if (c != ' ') {
      word += c;
    } else if (!word.empty()) {
      finished = std::exchange(word, {});
    }
  }
}

}  // namespace generators
