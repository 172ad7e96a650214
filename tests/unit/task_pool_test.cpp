// SPDX-License-Identifier: Apache-2.0
// tests/unit/task_pool_test.cpp — the pool that runs plugin hooks: a task
// that blocks never delays another, and idle threads go away.
#include "supervisor/task_pool.hpp"
#include "supervisor/backoff.hpp"

#include "s6_sandbox.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>

namespace warden::host {
namespace {

using namespace std::chrono_literals;
using warden::test::wait_until;

// A gate tasks wait at until the test opens it.
class Gate {
public:
    void wait() {
        std::unique_lock<std::mutex> lock(mutex_);
        opened_.wait(lock, [&] { return open_; });
    }
    void open() {
        std::lock_guard<std::mutex> lock(mutex_);
        open_ = true;
        opened_.notify_all();
    }

private:
    std::mutex mutex_;
    std::condition_variable opened_;
    bool open_ = false;
};

TEST(TaskPool, tasks_blocked_on_every_core_thread_delay_no_other) {
    Gate gate;
    std::atomic<int> done{0};
    {
        TaskPool pool(TaskPool::Limits{2, 5ms, 2s});
        for (int i = 0; i < 2; ++i) pool.submit([&] { gate.wait(); });
        for (int i = 0; i < 20; ++i) pool.submit([&] { ++done; });
        EXPECT_TRUE(wait_until([&] { return done == 20; }, 10s));
        gate.open();
    }
    EXPECT_EQ(done, 20);
}

TEST(TaskPool, threads_above_the_core_end_when_idle) {
    Gate gate;
    TaskPool pool(TaskPool::Limits{1, 1ms, 20ms});
    for (int i = 0; i < 4; ++i) pool.submit([&] { gate.wait(); });
    EXPECT_TRUE(wait_until([&] { return pool.threads() == 4; }, 10s)) << pool.threads();
    gate.open();
    EXPECT_TRUE(wait_until([&] { return pool.threads() == 1; }, 10s)) << pool.threads();
}

TEST(TaskPool, quick_tasks_run_on_the_core_threads_alone) {
    std::atomic<int> done{0};
    TaskPool pool(TaskPool::Limits{2, 50ms, 2s});
    for (int i = 0; i < 1000; ++i) pool.submit([&] { ++done; });
    EXPECT_TRUE(wait_until([&] { return done == 1000; }, 10s));
    EXPECT_EQ(pool.threads(), 2u);
}

// Two tasks submitted back to back while one thread idles: the second must
// not wait for the first (which hangs) to finish.
TEST(TaskPool, a_second_task_behind_a_hung_one_gets_a_thread) {
    for (int round = 0; round < 50; ++round) {
        Gate gate;
        std::atomic<bool> second{false};
        TaskPool pool(TaskPool::Limits{1, 2ms, 2s});
        ASSERT_TRUE(wait_until([&] { return pool.threads() == 1; }, 10s));
        pool.submit([&] { gate.wait(); });
        pool.submit([&] { second = true; });
        EXPECT_TRUE(wait_until([&] { return second.load(); }, 10s)) << "round " << round;
        gate.open();
    }
}

TEST(Backoff, doubles_from_its_base_up_to_its_cap) {
    const Backoff backoff{100ms, 1000ms};
    EXPECT_EQ(backoff.after(0), 0ms);
    EXPECT_EQ(backoff.after(1), 100ms);
    EXPECT_EQ(backoff.after(2), 200ms);
    EXPECT_EQ(backoff.after(4), 800ms);
    EXPECT_EQ(backoff.after(5), 1000ms);
    EXPECT_EQ(backoff.after(1000), 1000ms);
}

}  // namespace
}  // namespace warden::host
