// When does an object go? The notebooks watched CPython count a local's names and called
// gc.collect(). C++ has no collector: an object held by a std::shared_ptr is destroyed the moment
// its last owner goes — at the end of a function, for a local. Two objects that own each other
// never reach zero owners, though: that is what CPython's collector exists for, and what
// std::weak_ptr (an observer that does not own) avoids.
//
//   build/demos/01_sync/lifetime
#include <memory>
#include <string>
#include <utility>

#include <fmt/format.h>

#include <course/demo.hpp>

namespace {

// Says when it goes.
struct Node {
  explicit Node(std::string name) : name(std::move(name)) {}
  Node(const Node&) = delete;
  Node& operator=(const Node&) = delete;
  ~Node() { fmt::print("  {} destroyed\n", name); }

  std::string name;
  std::shared_ptr<Node> next;  // owns the node it points to
  std::weak_ptr<Node> back;    // only observes it
};

void call() {
  const auto local = std::make_shared<Node>("call()'s local");
  fmt::print("  in call(): {} owner\n", local.use_count());
}  // its only owner goes here, and the object with it

}  // namespace

int main() {
  return course::run_demo([] {
    fmt::print("A local:\n");
    call();
    fmt::print("  back from call()\n");

    fmt::print("Two nodes that own each other:\n");
    std::weak_ptr<Node> watch;
    {
      const auto a = std::make_shared<Node>("a");
      const auto b = std::make_shared<Node>("b");
      a->next = b;
      b->next = a;
      watch = a;
      fmt::print("  a has {} owners, b has {}\n", a.use_count(), b.use_count());
    }  // the names a and b go; each node is still owned by the other
    fmt::print("  the names are gone, yet a is {}\n", watch.expired() ? "gone" : "still alive");
    fmt::print("  breaking the cycle by hand:\n");
    if (const auto a = watch.lock()) a->next.reset();  // b goes, and with it b's hold on a

    fmt::print("One owning pointer and one observing one:\n");
    {
      const auto a = std::make_shared<Node>("a");
      const auto b = std::make_shared<Node>("b");
      a->next = b;
      b->back = a;
      fmt::print("  a has {} owner, b has {}\n", a.use_count(), b.use_count());
    }  // a's last owner goes, then b's
  });
}
