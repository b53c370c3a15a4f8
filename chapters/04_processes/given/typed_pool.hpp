// Given: exercise 4.4's ProcessPool carries bytes (std::string) to its workers and back;
// TypedPool carries values, as Python's Pool does: TypedPool<long, long>(5, square).map({1, 2, 3})
// is {1, 4, 9}. A value travels through the pipe as its bytes (PipeCodec): any trivially
// copyable type (numbers, structs of numbers) as it lies in memory — both ends are the same
// program — and a std::string as its characters.
#pragma once

#include <cstring>
#include <functional>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include <sys/types.h>

#include "process_pool.hpp"

namespace processes {

template <class T>
struct PipeCodec;

template <class T>
requires std::is_trivially_copyable_v<T>
struct PipeCodec<T> {
  static std::string encode(const T& value) {
    std::string bytes(sizeof(T), '\0');
    std::memcpy(bytes.data(), &value, sizeof(T));
    return bytes;
  }
  static T decode(const std::string& bytes) {
    if (bytes.size() != sizeof(T)) {
      throw std::runtime_error("PipeCodec: " + std::to_string(bytes.size()) + " bytes for a " +
                               std::to_string(sizeof(T)) + "-byte value");
    }
    T value;
    std::memcpy(&value, bytes.data(), sizeof(T));
    return value;
  }
};

template <>
struct PipeCodec<std::string> {
  static std::string encode(const std::string& value) { return value; }
  static std::string decode(const std::string& bytes) { return bytes; }
};

// A type that can travel through a pool's pipes.
template <class T>
concept PipeValue = requires(const T& value, const std::string& bytes) {
  { PipeCodec<T>::encode(value) } -> std::same_as<std::string>;
  { PipeCodec<T>::decode(bytes) } -> std::same_as<T>;
};

template <PipeValue In, PipeValue Out>
class TypedPool {
 public:
  TypedPool(std::size_t workers, std::function<Out(const In&)> task)
      : pool_(workers, [task = std::move(task)](const std::string& input) {
          return PipeCodec<Out>::encode(task(PipeCodec<In>::decode(input)));
        }) {}

  // The task applied to every input, in a worker process; the results in the order of the inputs.
  std::vector<Out> map(const std::vector<In>& inputs) {
    std::vector<std::string> encoded;
    encoded.reserve(inputs.size());
    for (const In& input : inputs) encoded.push_back(PipeCodec<In>::encode(input));
    std::vector<Out> results;
    results.reserve(inputs.size());
    for (const std::string& answer : pool_.map(encoded)) {
      results.push_back(PipeCodec<Out>::decode(answer));
    }
    return results;
  }

  void shutdown() { pool_.shutdown(); }
  [[nodiscard]] std::vector<pid_t> worker_pids() const { return pool_.worker_pids(); }

 private:
  ProcessPool pool_;
};

}  // namespace processes
