// SPDX-License-Identifier: Apache-2.0
// host/supervisor/task_pool.cpp
#include "supervisor/task_pool.hpp"

#include <iterator>
#include <system_error>

namespace warden::host {

TaskPool::TaskPool(Limits limits) : limits_(limits) {
    std::lock_guard<std::mutex> lock(mutex_);
    for (std::size_t i = 0; i < limits_.core; ++i) start_thread();
    watcher_ = std::thread([this] { watch(); });
}

TaskPool::~TaskPool() {
    std::unique_lock<std::mutex> lock(mutex_);
    stopping_ = true;
    work_.notify_all();
    queued_.notify_all();
    all_done_.wait(lock, [&] { return threads_ == 0; });
    lock.unlock();
    watcher_.join();
}

void TaskPool::submit(std::function<void()> task) {
    std::lock_guard<std::mutex> lock(mutex_);
    queue_.push_back(Queued{std::move(task), Clock::now()});
    if (idle_ > 0) work_.notify_one();
    // More queued than idle threads (an idle thread may be woken already for
    // an earlier task): the watch thread times the wait.
    if (queue_.size() > idle_) queued_.notify_one();
}

void TaskPool::submit_all(std::vector<std::function<void()>> tasks) {
    if (tasks.empty()) return;
    std::lock_guard<std::mutex> lock(mutex_);
    const Clock::time_point now = Clock::now();
    for (auto &task : tasks) queue_.push_back(Queued{std::move(task), now});
    if (idle_ > 0) work_.notify_one();
    if (queue_.size() > 1 || idle_ == 0) queued_.notify_one();
}

std::size_t TaskPool::threads() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return threads_;
}

// A thread that cannot be made now is tried again the next time a task starves.
void TaskPool::start_thread() {
    ++threads_;
    try {
        std::thread([this] { run(); }).detach();
    } catch (const std::system_error &) {
        --threads_;
    }
}

// Run threads are detached and count themselves out under the mutex, so the
// destructor can wait for the count to reach zero.
void TaskPool::run() {
    std::unique_lock<std::mutex> lock(mutex_);
    for (;;) {
        if (!queue_.empty()) {
            std::function<void()> task = std::move(queue_.front().task);
            queue_.pop_front();
            const auto running = running_since_.insert(Clock::now());
            lock.unlock();
            task();
            task = nullptr;  // release what it captured outside the lock
            lock.lock();
            running_since_.erase(running);
            continue;
        }
        if (stopping_) break;
        ++idle_;
        const bool woken =
            work_.wait_for(lock, limits_.linger, [&] { return stopping_ || !queue_.empty(); });
        --idle_;
        if (!woken && threads_ > limits_.core) break;
    }
    --threads_;
    if (threads_ == 0) all_done_.notify_all();
}

// Sleeps while nothing waits; when a task waits, checks again when it would
// starve, and starts a thread for it then.
void TaskPool::watch() {
    std::unique_lock<std::mutex> lock(mutex_);
    while (!stopping_) {
        if (queue_.empty()) {
            queued_.wait(lock);
            continue;
        }
        const Clock::time_point starves = queue_.front().since + limits_.starvation;
        if (Clock::now() < starves) {
            queued_.wait_until(lock, starves);
            continue;
        }
        // Another thread takes the oldest task; time the next from now. A
        // thread is started only when fewer than `core` threads are free of
        // a task that has run past the starvation time: a long queue of
        // quick tasks (a thousand workers adopted at once) is worked off by
        // the core threads, not by a thread more every few milliseconds.
        const auto stuck_since = Clock::now() - limits_.starvation;
        const auto stuck = static_cast<std::size_t>(
            std::distance(running_since_.begin(), running_since_.upper_bound(stuck_since)));
        if (idle_ > 0)
            work_.notify_one();
        else if (threads_ - stuck < limits_.core)
            start_thread();
        queue_.front().since = Clock::now();
        queued_.wait_for(lock, limits_.starvation);
    }
}

}  // namespace warden::host
