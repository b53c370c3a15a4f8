// Exercise 8.6: the echo server as coroutines — the tests of 8.2 (echo_server_tests.hpp), against
// a server whose every connection is a task that reads like blocking code.
#include <gtest/gtest.h>

#include "co_echo_server.hpp"
#include "echo_server_tests.hpp"

namespace {

using namespace echo_server_tests;
using uvx::CoEchoServer;

TEST(CoEchoServer, OneClientGetsItsBytesBack) {
  one_client_gets_its_bytes_back<CoEchoServer>();
}

TEST(CoEchoServer, FiveHundredClientsAtOnceEachGetTheirOwnBytes) {
  five_hundred_clients_at_once_each_get_their_own_bytes<CoEchoServer>();
}

TEST(CoEchoServer, AClientThatHangsUpCostsOnlyItself) {
  a_client_that_hangs_up_costs_only_itself<CoEchoServer>();
}

TEST(CoEchoServer, ALargeEchoThatHasToWaitComesBackIntact) {
  a_large_echo_that_has_to_wait_comes_back_intact<CoEchoServer>();
}

TEST(CoEchoServer, AClientThatNeverReadsStallsNobodyAndIsBufferedWithinTheLimit) {
  a_client_that_never_reads_stalls_nobody_and_is_buffered_within_the_limit<CoEchoServer>();
}

}  // namespace
