// The notebooks' chess grandmaster playing several opponents at once. Playing one game to its
// end before the next (synchronous) leaves the master idle while each opponent thinks; making a
// move on every board in turn (asynchronous) uses that time for the other boards. One player,
// one thread, either way: async does not make the master faster, it stops the waiting.
//
//   $ build/demos/05_callbacks/grandmaster
#include <chrono>
#include <functional>
#include <memory>
#include <thread>

#include <fmt/format.h>

#include <course/demo.hpp>

#include "scheduler.hpp"

namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

constexpr int kBoards = 4;
constexpr int kMoves = 5;             // the master's moves per game
constexpr auto kMasterMove = 5ms;     // the master thinks (CPU: the thread is busy)
constexpr auto kOpponentMove = 40ms;  // an opponent thinks (the master waits, or moves on)

void master_moves() {
  const auto until = Clock::now() + kMasterMove;
  while (Clock::now() < until) {
    // thinking hard
  }
}

double millis(Clock::duration d) {
  return std::chrono::duration<double, std::milli>(d).count();
}

// One board, asynchronously: the master moves, and asks the loop to call back when the
// opponent has answered.
void play_async(callbacks::Scheduler& loop, Clock::time_point start, int board, int moves_left) {
  master_moves();
  if (moves_left == 1) {
    fmt::print("  board {} finished at {:.0f} ms\n", board, millis(Clock::now() - start));
    return;
  }
  loop.call_later(kOpponentMove, [&loop, start, board, moves_left] {
    play_async(loop, start, board, moves_left - 1);
  });
}

}  // namespace

int main() {
  return course::run_demo([] {
    fmt::print("{} boards, {} moves each: the master thinks {} ms a move, an opponent {} ms\n",
               kBoards, kMoves, kMasterMove.count(), kOpponentMove.count());

    auto start = Clock::now();
    for (int board = 0; board < kBoards; ++board) {
      for (int move = 0; move < kMoves; ++move) {
        master_moves();
        if (move + 1 < kMoves) std::this_thread::sleep_for(kOpponentMove);  // waits at the board
      }
    }
    fmt::print("one game after another: {:.0f} ms\n", millis(Clock::now() - start));

    callbacks::Scheduler loop;
    start = Clock::now();
    for (int board = 0; board < kBoards; ++board) {
      loop.call_soon([&loop, start, board] { play_async(loop, start, board, kMoves); });
    }
    loop.run();
    fmt::print("a move on each board in turn: {:.0f} ms\n", millis(Clock::now() - start));
  });
}
