// host/supervisor/task_pool.cpp
#include "supervisor/task_pool.hpp"

namespace warden::host {

TaskPool::TaskPool(std::size_t keep_idle, std::chrono::milliseconds idle_exit)
    : keep_idle_(keep_idle), idle_exit_(idle_exit) {}

TaskPool::~TaskPool() {
    std::unique_lock<std::mutex> lock(mutex_);
    stopping_ = true;
    wake_.notify_all();
    all_done_.wait(lock, [&] { return threads_ == 0; });
}

void TaskPool::submit(std::function<void()> task) {
    std::lock_guard<std::mutex> lock(mutex_);
    queue_.push_back(std::move(task));
    // Idle threads take queued tasks first; start one only for the rest.
    if (queue_.size() > idle_) {
        ++threads_;
        std::thread([this] { run(); }).detach();
    } else {
        wake_.notify_one();
    }
}

std::size_t TaskPool::threads() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return threads_;
}

// Threads are detached and count themselves out under the mutex, so the
// destructor can wait for the count to reach zero.
void TaskPool::run() {
    std::unique_lock<std::mutex> lock(mutex_);
    for (;;) {
        if (!queue_.empty()) {
            std::function<void()> task = std::move(queue_.front());
            queue_.pop_front();
            lock.unlock();
            task();
            task = nullptr;  // release what it captured outside the lock
            lock.lock();
            continue;
        }
        if (stopping_) break;
        ++idle_;
        const bool woken =
            wake_.wait_for(lock, idle_exit_, [&] { return stopping_ || !queue_.empty(); });
        --idle_;
        if (!woken && idle_ >= keep_idle_) break;
    }
    --threads_;
    if (threads_ == 0) all_done_.notify_all();
}

}  // namespace warden::host
