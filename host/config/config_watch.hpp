// host/config/config_watch.hpp — tells when the config file changed, by
// inotify on its directory: editors and deploy tools often write a new file
// and rename it over the old one, which a watch on the file itself misses.
//
// THREADING: one thread; poll fd() and call changed() when it is readable.
#pragma once

#include "common/result.hpp"

#include <filesystem>
#include <memory>

namespace warden::host {

class ConfigWatch {
public:
    static Result<std::unique_ptr<ConfigWatch>> start(const std::filesystem::path &file);
    ~ConfigWatch();
    ConfigWatch(const ConfigWatch &) = delete;
    ConfigWatch &operator=(const ConfigWatch &) = delete;

    enum class Change {
        none,
        written,   ///< written in place: more writes may follow
        replaced,  ///< another file renamed over it: complete at once
    };

    int fd() const { return fd_; }
    /// Reads the pending events: what happened to the file, if anything.
    Change changed();

private:
    ConfigWatch(int fd, std::string name) : fd_(fd), name_(std::move(name)) {}
    int fd_;
    std::string name_;
};

}  // namespace warden::host
