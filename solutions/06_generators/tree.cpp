#include "tree.hpp"

namespace generators {

Generator<int> in_order_nested(const Node* node) {
  if (node == nullptr) co_return;
  for (const int value : in_order_nested(node->left.get())) co_yield value;
  co_yield node->value;
  for (const int value : in_order_nested(node->right.get())) co_yield value;
}

RecursiveGenerator<int> in_order(const Node* node) {
  if (node == nullptr) co_return;
  co_yield in_order(node->left.get());
  co_yield node->value;
  co_yield in_order(node->right.get());
}

}  // namespace generators
