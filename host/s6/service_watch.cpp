// SPDX-License-Identifier: Apache-2.0
// host/s6/service_watch.cpp
#include "s6/service_watch.hpp"

#include <dirent.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

namespace warden::host {
namespace {

// A service appears (created, renamed in) or goes (deleted, renamed out).
constexpr uint32_t kScanEvents = IN_CREATE | IN_MOVED_TO | IN_DELETE | IN_MOVED_FROM | IN_ONLYDIR;
// Its supervise/ dir appears, its `down` file (or manifest) comes and goes.
constexpr uint32_t kServiceEvents =
    IN_CREATE | IN_DELETE | IN_MOVED_TO | IN_MOVED_FROM | IN_ONLYDIR;
// s6-supervise renames status.new over status (after writing it and the
// death tally: IN_CLOSE_WRITE), and when it dies the kernel closes the
// supervise/lock it held open for writing: IN_CLOSE_WRITE too. Deleting or
// moving a file there by hand is seen as well.
constexpr uint32_t kSuperviseEvents =
    IN_MOVED_TO | IN_CLOSE_WRITE | IN_DELETE | IN_MOVED_FROM | IN_ONLYDIR;

bool hidden(const char *name) {
    return name[0] == '.';
}

}  // namespace

Result<std::unique_ptr<ServiceWatch>> ServiceWatch::start(const std::filesystem::path &scan_dir,
                                                          OnChange on_change, StatusCache *cache) {
    const int fd = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (fd < 0)
        return fail("cannot watch scan dir ", scan_dir.string(),
                    ": inotify_init1: ", std::strerror(errno));
    const int stop = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (stop < 0) {
        const int err = errno;
        ::close(fd);
        return fail("cannot watch scan dir ", scan_dir.string(), ": eventfd: ", std::strerror(err));
    }
    std::unique_ptr<ServiceWatch> watch(
        new ServiceWatch(scan_dir, std::move(on_change), cache, fd, stop));
    watch->scan_wd_ = ::inotify_add_watch(fd, scan_dir.c_str(), kScanEvents);
    if (watch->scan_wd_ < 0)
        return fail("cannot watch scan dir ", scan_dir.string(), ": ", std::strerror(errno));
    // Services there already, watched before the thread starts: an event
    // from now on is not missed.
    if (DIR *dir = ::opendir(scan_dir.c_str())) {
        while (const dirent *entry = ::readdir(dir))
            if (!hidden(entry->d_name)) watch->watch_service(entry->d_name);
        ::closedir(dir);
    }
    watch->thread_ = std::thread([w = watch.get()] { w->run(); });
    return watch;
}

ServiceWatch::ServiceWatch(std::filesystem::path scan_dir, OnChange on_change, StatusCache *cache,
                           int inotify_fd, int stop_fd)
    : scan_dir_(std::move(scan_dir)),
      on_change_(std::move(on_change)),
      cache_(cache),
      inotify_fd_(inotify_fd),
      stop_fd_(stop_fd) {}

ServiceWatch::~ServiceWatch() {
    if (thread_.joinable()) {
        const uint64_t one = 1;
        (void)!::write(stop_fd_, &one, sizeof one);
        thread_.join();
    }
    if (cache_ != nullptr) cache_->unwatched_all();
    ::close(inotify_fd_);
    ::close(stop_fd_);
}

// A name that is not a directory (or is gone already) just fails to be
// watched: inotify_add_watch with IN_ONLYDIR refuses it.
void ServiceWatch::watch_service(const std::string &name) {
    const std::filesystem::path dir = scan_dir_ / name;
    const int wd = ::inotify_add_watch(inotify_fd_, dir.c_str(), kServiceEvents);
    if (wd < 0) return;
    services_[wd] = name;
    current_[name] = Current{wd, -1};
    watch_supervise(name);
}

// The supervise/ dir of the service `name` stands for now, once it exists.
// With both watches in place the cache may keep what is read from then on.
void ServiceWatch::watch_supervise(const std::string &name) {
    const auto current = current_.find(name);
    if (current == current_.end() || current->second.service_wd < 0) return;
    const int wd = ::inotify_add_watch(inotify_fd_, (scan_dir_ / name / "supervise").c_str(),
                                       kSuperviseEvents);
    if (wd < 0) return;
    supervises_[wd] = name;
    current->second.supervise_wd = wd;
    if (cache_ != nullptr) cache_->watched(name);
}

// Watch `wd` is gone (its directory was deleted): when it was one of the
// current directory's, nothing of that service is kept any more.
void ServiceWatch::lost(int wd) {
    for (auto *watches : {&services_, &supervises_}) {
        const auto it = watches->find(wd);
        if (it == watches->end()) continue;
        const auto current = current_.find(it->second);
        if (current != current_.end() &&
            (current->second.service_wd == wd || current->second.supervise_wd == wd)) {
            (current->second.service_wd == wd ? current->second.service_wd
                                              : current->second.supervise_wd) = -1;
            if (cache_ != nullptr) cache_->unwatched(it->second);
            if (current->second.service_wd < 0 && current->second.supervise_wd < 0)
                current_.erase(current);
        }
        watches->erase(it);
    }
}

void ServiceWatch::run() {
    pollfd fds[2] = {{inotify_fd_, POLLIN, 0}, {stop_fd_, POLLIN, 0}};
    for (;;) {
        if (::poll(fds, 2, -1) < 0) {
            if (errno == EINTR) continue;
            return;
        }
        if (fds[1].revents != 0) return;
        drain();
    }
}

// Reads every queued event; reports each changed service once per batch.
void ServiceWatch::drain() {
    alignas(inotify_event) char buffer[16 * 1024];
    std::vector<std::string> changed;
    auto note = [&](const std::string &name) {
        for (const std::string &seen : changed)
            if (seen == name) return;
        changed.push_back(name);
    };
    for (;;) {
        const ssize_t n = ::read(inotify_fd_, buffer, sizeof buffer);
        if (n <= 0) break;
        for (ssize_t at = 0; at < n;) {
            const auto *event = reinterpret_cast<const inotify_event *>(buffer + at);
            at += static_cast<ssize_t>(sizeof(inotify_event) + event->len);
            if (event->mask & IN_Q_OVERFLOW) {
                if (cache_ != nullptr) cache_->changed_all();
                for (const auto &[wd, name] : services_) note(name);
                continue;
            }
            if (event->mask & IN_IGNORED) {  // the directory went
                lost(event->wd);
                continue;
            }
            const char *entry = event->len > 0 ? event->name : "";
            const std::string *service = nullptr;
            if (event->wd == scan_wd_) {
                if (hidden(entry)) continue;
                const std::string name = entry;
                if (event->mask & (IN_DELETE | IN_MOVED_FROM)) {
                    // The directory the name stood for left the scan dir.
                    current_.erase(name);
                    if (cache_ != nullptr) cache_->unwatched(name);
                } else {
                    watch_service(name);
                }
                if (cache_ != nullptr) cache_->changed(name);
                note(name);
                continue;
            }
            if (auto it = services_.find(event->wd); it != services_.end()) {
                service = &it->second;
                const auto current = current_.find(*service);
                if (std::strcmp(entry, "supervise") == 0 && (event->mask & IN_CREATE) &&
                    current != current_.end() && current->second.service_wd == event->wd)
                    watch_supervise(*service);
            } else if (auto it = supervises_.find(event->wd); it != supervises_.end()) {
                service = &it->second;
            }
            if (service == nullptr) continue;
            // Before anyone hears of it: the observation it leads to reads s6.
            if (cache_ != nullptr) cache_->changed(*service);
            note(*service);
        }
    }
    for (const std::string &name : changed) on_change_(name);
}

}  // namespace warden::host
