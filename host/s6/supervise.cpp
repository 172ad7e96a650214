// SPDX-License-Identifier: Apache-2.0
// host/s6/supervise.cpp
#include "s6/supervise.hpp"

#include "s6/file_ops.hpp"
#include "s6/process_identity.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <cerrno>
#include <string>

namespace warden::host {

std::optional<pid_t> lock_holder(const std::filesystem::path &lock_file) {
    const int fd = ::open(lock_file.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return std::nullopt;
    struct flock probe {};
    probe.l_type = F_WRLCK;  // would a write lock conflict? Only if someone holds one.
    probe.l_whence = SEEK_SET;
    const int r = ::fcntl(fd, F_GETLK, &probe);
    ::close(fd);
    if (r != 0 || probe.l_type == F_UNLCK) return std::nullopt;
    return probe.l_pid;
}

Result<void> send_control(const std::filesystem::path &fifo, std::string_view bytes,
                          std::string_view who) {
    const int fd = ::open(fifo.c_str(), O_WRONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENXIO || errno == ENOENT)
            return fail_as(ErrorKind::not_supervised, "nobody supervises ", std::string(who),
                           " (no process reads ", fifo.string(), ")");
        return file_error("cannot open", fifo, errno);
    }
    ssize_t n;
    do {
        n = ::write(fd, bytes.data(), bytes.size());
    } while (n < 0 && errno == EINTR);
    const int err = errno;
    ::close(fd);
    if (n != static_cast<ssize_t>(bytes.size())) return file_error("cannot write to", fifo, err);
    return {};
}

bool wait_for_supervise_change(const std::filesystem::path &service_dir,
                               const std::function<bool()> &done,
                               std::chrono::milliseconds timeout) {
    const int fd = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (fd < 0) return done();
    // s6-supervise renames status.new over status, and creates or removes
    // the down file in the service directory itself.
    ::inotify_add_watch(fd, (service_dir / "supervise").c_str(), IN_MOVED_TO | IN_CLOSE_WRITE);
    ::inotify_add_watch(fd, service_dir.c_str(), IN_CREATE | IN_DELETE | IN_MOVED_TO);
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    bool held = done();
    while (!held) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) break;
        pollfd p{fd, POLLIN, 0};
        if (::poll(&p, 1, static_cast<int>(left.count())) < 0 && errno != EINTR) break;
        char events[4096];
        while (::read(fd, events, sizeof events) > 0) {
        }
        held = done();
    }
    ::close(fd);
    return held;
}

bool wait_for_exit(pid_t pid, std::chrono::milliseconds timeout) {
    const std::optional<ProcessIdentity> process = identify_process(pid);
    return !process || wait_until_ended(*process, timeout);
}

bool started_at(pid_t pid, int64_t started_ns) {
    const std::optional<ProcessIdentity> process = identify_process(pid);
    if (!process) return false;
    const std::optional<int64_t> started = start_ticks_to_unix_ns(process->start_ticks);
    if (!started) return false;
    const int64_t difference =
        *started > started_ns ? *started - started_ns : started_ns - *started;
    return difference < 2'000'000'000;  // btime is whole seconds; ticks are 10 ms
}

}  // namespace warden::host
