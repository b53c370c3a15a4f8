#include "tree.hpp"

#include <course/not_implemented.hpp>

namespace generators {

Generator<int> in_order_nested([[maybe_unused]] const Node* node) {
  // TODO(6.5): a range-for over each subtree's generator, re-yielding.
  throw course::NotImplemented("6.5", "in_order_nested");
}

RecursiveGenerator<int> in_order([[maybe_unused]] const Node* node) {
  // TODO(6.5): co_yield each subtree's generator whole.
  throw course::NotImplemented("6.5", "in_order");
}

}  // namespace generators
