// SPDX-License-Identifier: Apache-2.0
// command_test.cpp — the `command` worker on the SDK's fake host.
#include <warden/testing/fake_worker.hpp>

#include <gtest/gtest.h>

using warden::testing::FakeHost;
using warden::testing::FakeWorker;

TEST(CommandWorker, runs_the_command_and_says_when_it_dies) {
    FakeHost host;
    host.load(&warden_plugin_entry);
    FakeWorker worker(host, host.worker_type("command"), "clock", R"({"command":"/bin/sleep"})");
    EXPECT_EQ(worker.step().state, "starting");
    EXPECT_EQ(worker.step().reason, "creating service command-clock");
    EXPECT_EQ(host.service("command-clock").spec.argv, std::vector<std::string>{"/bin/sleep"});
    host.advance(2'000'000'000);
    EXPECT_EQ(worker.step().state, "running");
    host.crash_service("command-clock", 1);
    EXPECT_EQ(worker.step().reason, "process exited with code 1; 1 restart");
    EXPECT_EQ(worker.state(), "degraded");
}

TEST(CommandWorker, refuses_a_config_it_cannot_run) {
    FakeHost host;
    host.load(&warden_plugin_entry);
    FakeWorker worker(host, host.worker_type("command"), "clock", R"({"command":"sleep"})");
    EXPECT_EQ(worker.derive().error, "command: must be an absolute path, got 'sleep'");
}
