// SPDX-License-Identifier: Apache-2.0
// host/config/config_watch.cpp
#include "config/config_watch.hpp"

#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace warden::host {

Result<std::unique_ptr<ConfigWatch>> ConfigWatch::start(const std::filesystem::path &file,
                                                        std::chrono::milliseconds settle) {
    const std::filesystem::path absolute = std::filesystem::absolute(file);
    const int fd = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (fd < 0) return fail("cannot watch ", file.string(), ": ", std::strerror(errno));
    // Every way the file can change: written, truncated, created, deleted,
    // renamed over, its mode changed.
    if (::inotify_add_watch(fd, absolute.parent_path().c_str(),
                            IN_MODIFY | IN_CLOSE_WRITE | IN_ATTRIB | IN_CREATE | IN_DELETE |
                                IN_MOVED_TO | IN_MOVED_FROM | IN_ONLYDIR) < 0) {
        const int err = errno;
        ::close(fd);
        return fail("cannot watch the directory of ", file.string(), ": ", std::strerror(err));
    }
    return std::unique_ptr<ConfigWatch>(new ConfigWatch(fd, absolute, settle));
}

ConfigWatch::~ConfigWatch() {
    ::close(fd_);
}

bool ConfigWatch::read_events(Clock::time_point now) {
    alignas(inotify_event) char buffer[8192];
    const std::string name = file_.filename().string();
    bool changed = false;
    for (;;) {
        const ssize_t n = ::read(fd_, buffer, sizeof buffer);
        if (n <= 0) break;
        for (ssize_t at = 0; at < n;) {
            const auto *event = reinterpret_cast<const inotify_event *>(buffer + at);
            at += static_cast<ssize_t>(sizeof(inotify_event) + event->len);
            const bool ours = event->len > 0 && name == event->name;
            if (!ours && !(event->mask & IN_Q_OVERFLOW)) continue;
            // Renamed over it: complete. Anything else: wait for quiet.
            complete_ = (event->mask & IN_MOVED_TO) != 0;
            requested_ = false;
            changed = true;
            due_ = complete_ ? now : now + settle_;
        }
    }
    return changed;
}

void ConfigWatch::request(Clock::time_point now) {
    if (!due_ || *due_ > now) due_ = now;
    complete_ = false;
    requested_ = true;
}

bool ConfigWatch::take_due(Clock::time_point now) {
    if (!due_ || *due_ > now) return false;
    // Modified within the settle time (a write just before a SIGHUP): wait
    // until it has been quiet. A file renamed into place was complete.
    struct stat st {};
    if (!complete_ && ::stat(file_.c_str(), &st) == 0) {
        timespec wall{};
        ::clock_gettime(CLOCK_REALTIME, &wall);
        const auto age = std::chrono::seconds(wall.tv_sec - st.st_mtim.tv_sec) +
                         std::chrono::nanoseconds(wall.tv_nsec - st.st_mtim.tv_nsec);
        if (age >= std::chrono::nanoseconds(0) && age < settle_) {
            due_ = now + std::chrono::duration_cast<Clock::duration>(settle_ - age);
            return false;
        }
    }
    due_.reset();
    complete_ = false;
    return true;
}

}  // namespace warden::host
