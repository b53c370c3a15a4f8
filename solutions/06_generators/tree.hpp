// Exercise 6.5: walking a tree with generators — nested, then delegating.
#pragma once

#include <memory>

#include "generator.hpp"
#include "recursive_generator.hpp"

namespace generators {

struct Node {
  int value;
  std::unique_ptr<Node> left;
  std::unique_ptr<Node> right;
};

// Exercise 6.5 — the values of the tree in order (left subtree, node, right subtree), each
// level re-yielding what the level below yields: a value at depth d passes through d frames.
Generator<int> in_order_nested(const Node* node);

// Exercise 6.5 — the same with RecursiveGenerator: `co_yield in_order(child)` hands the whole
// subtree over, and each value costs the same at any depth.
RecursiveGenerator<int> in_order(const Node* node);

}  // namespace generators
