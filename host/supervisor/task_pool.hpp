// host/supervisor/task_pool.hpp — the threads that run plugin hooks.
//
// A task never waits for a free thread: when every thread is busy, submit
// starts another. So a hook that hangs holds one thread and delays nobody
// else's, which is the supervisor's first promise. Threads idle for longer
// than `idle_exit` end, down to `keep_idle`, so a host with a thousand quiet
// workers runs on a handful of threads, not two per worker.
//
// The supervisor bounds the number of threads: per worker at most one
// collect, one next and one execute run at a time.
//
// THREADING: submit may be called from any thread. The destructor waits for
// every running task; the host ends without it when a hook will not return.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace warden::host {

class TaskPool {
public:
    explicit TaskPool(std::size_t keep_idle = 2,
                      std::chrono::milliseconds idle_exit = std::chrono::seconds(10));
    ~TaskPool();
    TaskPool(const TaskPool &) = delete;
    TaskPool &operator=(const TaskPool &) = delete;

    /// Runs `task` on a pool thread, now. `task` must not throw.
    void submit(std::function<void()> task);

    /// Threads alive now, busy or idle.
    std::size_t threads() const;

private:
    void run();

    const std::size_t keep_idle_;
    const std::chrono::milliseconds idle_exit_;
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::condition_variable all_done_;
    std::deque<std::function<void()>> queue_;
    std::size_t threads_ = 0;
    std::size_t idle_ = 0;
    bool stopping_ = false;
};

}  // namespace warden::host
