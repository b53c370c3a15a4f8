#include "two_way_examples.hpp"

#include <course/not_implemented.hpp>

namespace generators {

TwoWay<double, double> running_average() {
  // TODO(6.4): a loop around `const double term = co_yield average;`.
  throw course::NotImplemented("6.4", "running_average");
}

TwoWay<std::string, char> words() {
  // TODO(6.4): collect characters; yield the word a space ends, "" otherwise.
  throw course::NotImplemented("6.4", "words");
}

}  // namespace generators
