// SPDX-License-Identifier: Apache-2.0
// host/supervisor/task_pool.hpp — the threads that run plugin hooks.
//
// A few core threads take tasks in order. When a task has waited longer
// than `starvation` for one, the pool wakes an idle thread for it, or, when
// fewer than `core` threads are free of a task running longer than that (a
// hook that hangs), starts another. So a hung hook holds one thread and
// delays nobody else's by more than that, while a host with a thousand
// quiet workers, or a thousand workers adopted at once, runs on the core
// threads alone, not two per worker.
// A thread above the core ends once it found nothing to do for `linger`.
//
// The supervisor bounds the number of tasks: per worker at most one
// collect, one next and one execute at a time.
//
// THREADING: submit may be called from any thread. The destructor waits for
// every task to finish; the host ends without it when a hook will not return.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

namespace warden::host {

class TaskPool {
public:
    struct Limits {
        std::size_t core = 4;
        std::chrono::milliseconds starvation{10};
        std::chrono::milliseconds linger{2000};
    };

    TaskPool() : TaskPool(Limits{}) {}
    explicit TaskPool(Limits limits);
    ~TaskPool();
    TaskPool(const TaskPool &) = delete;
    TaskPool &operator=(const TaskPool &) = delete;

    /// Queues `task`; a pool thread runs it. `task` must not throw.
    void submit(std::function<void()> task);
    /// Queues every task at once and wakes one thread for them: it runs them
    /// in turn, and others are woken (or started) only for a task that
    /// waits longer than `starvation`. Fewer wake-ups for a round of quick
    /// tasks, and still no task stuck behind a slow one.
    void submit_all(std::vector<std::function<void()>> tasks);

    /// Threads alive now, busy or idle.
    std::size_t threads() const;

private:
    using Clock = std::chrono::steady_clock;
    struct Queued {
        std::function<void()> task;
        Clock::time_point since;
    };

    void start_thread();  // with mutex_ held
    void run();
    void watch();

    const Limits limits_;
    mutable std::mutex mutex_;
    std::condition_variable work_;    // a task was queued, or stopping
    std::condition_variable queued_;  // wakes the watch thread
    std::condition_variable all_done_;
    std::deque<Queued> queue_;
    std::multiset<Clock::time_point> running_since_;  // when each running task began
    std::size_t threads_ = 0;                         // run threads alive
    std::size_t idle_ = 0;
    bool stopping_ = false;
    std::thread watcher_;
};

}  // namespace warden::host
