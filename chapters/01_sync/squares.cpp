#include "squares.hpp"

#include <stdexcept>

#include <course/not_implemented.hpp>

namespace synchronous {

u128 sum_of_squares([[maybe_unused]] std::uint64_t begin, [[maybe_unused]] std::uint64_t end,
                    [[maybe_unused]] std::uint64_t step) {
  // TODO(1.4): loop like Python's range, adding n² in 128 bits.
  throw course::NotImplemented("1.4", "sum_of_squares");
}

std::string to_decimal([[maybe_unused]] u128 value) {
  // TODO(1.4): peel off the last digit with % 10 and / 10 until nothing is left.
  throw course::NotImplemented("1.4", "to_decimal");
}

}  // namespace synchronous
