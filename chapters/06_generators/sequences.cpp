#include "sequences.hpp"

#include <course/not_implemented.hpp>

namespace generators {

Generator<std::string> generator_function() {
  // TODO(6.1): co_yield the notebooks' two values.
  throw course::NotImplemented("6.1", "generator_function");
}

Generator<std::uint64_t> naturals() {
  // TODO(6.2): an endless loop that co_yields.
  throw course::NotImplemented("6.2", "naturals");
}

Generator<unsigned __int128> fibonacci() {
  // TODO(6.2): two numbers of state; stop before the next one would not fit.
  throw course::NotImplemented("6.2", "fibonacci");
}

}  // namespace generators
