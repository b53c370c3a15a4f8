// Exercise 8.2: a TCP echo server with callbacks — many clients on one loop's thread. (The tests
// themselves are in echo_server_tests.hpp: 8.6's coroutine server passes the same ones.)
#include <gtest/gtest.h>

#include "echo_server.hpp"
#include "echo_server_tests.hpp"

namespace {

using namespace echo_server_tests;
using uvx::EchoServer;

TEST(EchoServer, OneClientGetsItsBytesBack) {
  one_client_gets_its_bytes_back<EchoServer>();
}

TEST(EchoServer, FiveHundredClientsAtOnceEachGetTheirOwnBytes) {
  five_hundred_clients_at_once_each_get_their_own_bytes<EchoServer>();
}

TEST(EchoServer, AClientThatHangsUpCostsOnlyItself) {
  a_client_that_hangs_up_costs_only_itself<EchoServer>();
}

TEST(EchoServer, ALargeEchoThatHasToWaitComesBackIntact) {
  a_large_echo_that_has_to_wait_comes_back_intact<EchoServer>();
}

TEST(EchoServer, AClientThatNeverReadsStallsNobodyAndIsBufferedWithinTheLimit) {
  a_client_that_never_reads_stalls_nobody_and_is_buffered_within_the_limit<EchoServer>();
}

}  // namespace
