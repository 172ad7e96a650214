// host/config/config_watch.cpp
#include "config/config_watch.hpp"

#include <sys/inotify.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace warden::host {

Result<std::unique_ptr<ConfigWatch>> ConfigWatch::start(const std::filesystem::path &file) {
    const std::filesystem::path absolute = std::filesystem::absolute(file);
    const int fd = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (fd < 0) return fail("cannot watch ", file.string(), ": ", std::strerror(errno));
    if (::inotify_add_watch(fd, absolute.parent_path().c_str(),
                            IN_CLOSE_WRITE | IN_MOVED_TO | IN_ONLYDIR) < 0) {
        const int err = errno;
        ::close(fd);
        return fail("cannot watch the directory of ", file.string(), ": ", std::strerror(err));
    }
    return std::unique_ptr<ConfigWatch>(new ConfigWatch(fd, absolute.filename().string()));
}

ConfigWatch::~ConfigWatch() {
    ::close(fd_);
}

ConfigWatch::Change ConfigWatch::changed() {
    alignas(inotify_event) char buffer[8192];
    Change change = Change::none;
    for (;;) {
        const ssize_t n = ::read(fd_, buffer, sizeof buffer);
        if (n <= 0) break;
        for (ssize_t at = 0; at < n;) {
            const auto *event = reinterpret_cast<const inotify_event *>(buffer + at);
            at += static_cast<ssize_t>(sizeof(inotify_event) + event->len);
            if (event->mask & IN_Q_OVERFLOW) {
                if (change == Change::none) change = Change::written;
            } else if (event->len > 0 && name_ == event->name) {
                change = (event->mask & IN_MOVED_TO)  ? Change::replaced
                         : change == Change::replaced ? Change::replaced
                                                      : Change::written;
            }
        }
    }
    return change;
}

}  // namespace warden::host
