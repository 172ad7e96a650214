// SPDX-License-Identifier: Apache-2.0
// host/s6/service_watch.hpp — tells when s6 changed a service, without
// polling: inotify on the scan dir (services appear and go), on each
// service dir (its supervise/ dir appears, its down file comes and goes) and
// on each supervise/ dir (s6-supervise renames status.new over status on
// every change of state).
//
// The callback gets the service's name; it runs on the watch's own thread
// and should only hand the news on (the supervisor posts it to its loop).
// Hidden entries (a leading dot: s6-svscan ignores them too) are not
// services. When the kernel's event queue overflowed, every known service
// is reported.
//
// Given the S6Client's StatusCache, the watch also tells it which services
// it watches whole (the service dir and its supervise/ dir), and drops a
// service's kept status as soon as it reads an event for it: before the
// callback hears of it, so the observation the callback leads to reads s6
// again (status_cache.hpp).
//
// OWNERSHIP: the cache, when given, must outlive the watch.
// THREADING: construct and destroy on one thread; the callback runs on the
// watch thread, never after the destructor returned.
#pragma once

#include "common/result.hpp"
#include "s6/status_cache.hpp"

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <thread>

namespace warden::host {

class ServiceWatch {
public:
    using OnChange = std::function<void(const std::string &service)>;

    /// Watches `scan_dir`, which must exist; the error names it and the
    /// cause. `cache` (may be null) hears of every watch and event first.
    static Result<std::unique_ptr<ServiceWatch>> start(const std::filesystem::path &scan_dir,
                                                       OnChange on_change,
                                                       StatusCache *cache = nullptr);
    ~ServiceWatch();
    ServiceWatch(const ServiceWatch &) = delete;
    ServiceWatch &operator=(const ServiceWatch &) = delete;

private:
    ServiceWatch(std::filesystem::path scan_dir, OnChange on_change, StatusCache *cache,
                 int inotify_fd, int stop_fd);
    void run();
    void watch_service(const std::string &name);
    void watch_supervise(const std::string &name);
    void lost(int wd);
    void drain();

    // The watches of the directory a service name stands for now; an earlier
    // directory of the name (moved out, being removed) may still have some.
    struct Current {
        int service_wd = -1;
        int supervise_wd = -1;
    };

    const std::filesystem::path scan_dir_;
    const OnChange on_change_;
    StatusCache *const cache_;
    const int inotify_fd_;
    const int stop_fd_;
    int scan_wd_ = -1;
    std::map<int, std::string> services_;    // watch -> service, for service dirs
    std::map<int, std::string> supervises_;  // watch -> service, for supervise/ dirs
    std::map<std::string, Current> current_;
    std::thread thread_;
};

}  // namespace warden::host
