// SPDX-License-Identifier: Apache-2.0
// data_dir.cpp — making a data directory, and asking who holds it.
#include "data_dir.hpp"

#include <warden/types.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace redpanda_plugin {
namespace {

// True when it made `path`.
bool make_one(const std::string &path, mode_t mode) {
    if (::mkdir(path.c_str(), mode) == 0) {
        // The umask must not take what the mode gives (0750: no world access).
        ::chmod(path.c_str(), mode);
        return true;
    }
    const int error = errno;
    struct stat st {};
    if (error == EEXIST && ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) return false;
    throw warden::Error(WARDEN_ERR, "cannot make data directory " + path + ": " +
                                        (error == EEXIST ? "it exists and is not a directory"
                                                         : std::strerror(error)));
}

}  // namespace

bool make_data_dir(const std::string &path) {
    for (std::size_t slash = path.find('/', 1); slash != std::string::npos;
         slash = path.find('/', slash + 1))
        make_one(path.substr(0, slash), 0755);
    return make_one(path, 0750);
}

std::string data_dir_owner_problem(const std::string &path, uint32_t uid) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0 || st.st_uid == uid) return {};
    return "data directory " + path + " is owned by uid " + std::to_string(st.st_uid) +
           ", and the broker runs as uid " + std::to_string(uid) +
           ": it may be unable to write there; chown it to the broker's user, or remove it "
           "for the worker to make it again";
}

int64_t data_dir_holder(const std::string &path) {
    const std::string lock = path + "/pid.lock";
    const int fd = ::open(lock.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
    if (fd < 0) return 0;
    struct flock probe {};
    probe.l_type = F_WRLCK;
    probe.l_whence = SEEK_SET;
    const int rc = ::fcntl(fd, F_GETLK, &probe);
    ::close(fd);
    return rc == 0 && probe.l_type != F_UNLCK ? static_cast<int64_t>(probe.l_pid) : 0;
}

bool held_by_service(int64_t holder, int64_t service_pid) {
    if (holder <= 0 || service_pid <= 0) return false;
    if (holder == service_pid) return true;
    // /proc/<pid>/stat: "pid (comm) state ppid pgrp session ...", where comm
    // may hold spaces and parentheses: read from the last ')'.
    std::ifstream in("/proc/" + std::to_string(holder) + "/stat");
    std::string stat;
    std::getline(in, stat);
    const std::size_t end = stat.rfind(')');
    if (end == std::string::npos) return false;
    std::istringstream fields(stat.substr(end + 1));
    std::string state;
    int64_t parent = 0, group = 0, session = 0;
    fields >> state >> parent >> group >> session;
    return fields && session == service_pid;
}

std::string managed_properties_file(const std::string &data_dir) {
    return data_dir + "/warden-cluster-properties.json";
}

}  // namespace redpanda_plugin
