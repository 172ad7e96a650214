// SPDX-License-Identifier: Apache-2.0
// host/s6/process_identity.cpp
#include "s6/process_identity.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <climits>
#include <string_view>

namespace warden::host {
namespace {

// A /proc file, at most 64 KiB of it; "" when it cannot be read.
std::string read_proc_file(const char *path) {
    const int fd = ::open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return {};
    std::string content;
    char buffer[4096];
    while (content.size() < 65536) {
        const ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        content.append(buffer, static_cast<std::size_t>(n));
    }
    ::close(fd);
    return content;
}

struct ProcStat {
    char state = 0;
    pid_t parent = 0;
    uint64_t start_ticks = 0;
};

template <typename T>
bool parse_stat_number(std::string_view text, T &out) {
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), out);
    return error == std::errc() && end == text.data() + text.size() && !text.empty();
}

// Fields of /proc/PID/stat after the command name, which may hold any
// byte, spaces and parentheses included: it ends at the last ')'.
std::optional<ProcStat> read_proc_stat(pid_t pid) {
    const std::string path = "/proc/" + std::to_string(pid) + "/stat";
    const std::string line = read_proc_file(path.c_str());
    const std::size_t close = line.rfind(')');
    if (close == std::string::npos || close + 2 >= line.size()) return std::nullopt;
    std::string_view rest = std::string_view(line).substr(close + 2);
    ProcStat stat;
    // Field 3 is the state, 4 the parent, 22 the start time.
    for (int field = 3; field <= 22; ++field) {
        const std::size_t space = rest.find(' ');
        const std::string_view value = rest.substr(0, space);
        if (field == 3 && value.size() == 1) stat.state = value[0];
        if (field == 4 && !parse_stat_number(value, stat.parent)) return std::nullopt;
        if (field == 22)
            return parse_stat_number(value, stat.start_ticks) ? std::optional(stat) : std::nullopt;
        if (space == std::string_view::npos) return std::nullopt;
        rest.remove_prefix(space + 1);
    }
    return std::nullopt;
}

}  // namespace

std::optional<ProcessIdentity> identify_process(pid_t pid) {
    if (pid <= 0) return std::nullopt;
    const std::optional<ProcStat> stat = read_proc_stat(pid);
    if (!stat || stat->state == 'Z' || stat->state == 'X') return std::nullopt;
    return ProcessIdentity{pid, stat->start_ticks};
}

std::optional<pid_t> parent_of(pid_t pid) {
    if (pid <= 0) return std::nullopt;
    const std::optional<ProcStat> stat = read_proc_stat(pid);
    if (!stat || stat->state == 'Z' || stat->state == 'X') return std::nullopt;
    return stat->parent;
}

bool still_running(const ProcessIdentity &identity) {
    const std::optional<ProcessIdentity> now = identify_process(identity.pid);
    return now && *now == identity;
}

std::optional<int64_t> start_ticks_to_unix_ns(uint64_t start_ticks) {
    const std::string stat = read_proc_file("/proc/stat");
    const std::size_t at = stat.find("\nbtime ");
    if (at == std::string::npos) return std::nullopt;
    int64_t btime = 0;
    const char *begin = stat.data() + at + 7;
    const auto [end, error] = std::from_chars(begin, stat.data() + stat.size(), btime);
    if (error != std::errc() || end == begin) return std::nullopt;
    const long hz = ::sysconf(_SC_CLK_TCK);
    if (hz <= 0) return std::nullopt;
    return btime * 1'000'000'000 +
           static_cast<int64_t>(start_ticks) * (1'000'000'000 / static_cast<int64_t>(hz));
}

std::string boot_id() {
    std::string id = read_proc_file("/proc/sys/kernel/random/boot_id");
    while (!id.empty() && (id.back() == '\n' || id.back() == ' ')) id.pop_back();
    return id;
}

void signal_process_group(const ProcessIdentity &identity, int signal) {
    if (identity.pid <= 1) return;
    // A pid that is a group's id is not given out again while the group
    // has members: a live process with the pid and another start time
    // means the old group is gone.
    const std::optional<ProcessIdentity> now = identify_process(identity.pid);
    if (now && !(*now == identity)) return;
    if (::kill(-identity.pid, signal) != 0 && now) ::kill(identity.pid, signal);
}

bool wait_until_ended(const ProcessIdentity &identity, std::chrono::milliseconds timeout) {
    const int fd = static_cast<int>(::syscall(SYS_pidfd_open, identity.pid, 0));
    if (fd < 0) return errno == ESRCH || !still_running(identity);
    // The pidfd names whatever process has the pid now: if that is not
    // the one asked about, the one asked about has ended.
    bool ended = !still_running(identity);
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!ended) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) break;
        pollfd p{fd, POLLIN, 0};
        const int ready = ::poll(&p, 1, static_cast<int>(std::min<int64_t>(left.count(), INT_MAX)));
        if (ready < 0 && errno != EINTR) break;
        ended = ready > 0;
    }
    ::close(fd);
    return ended;
}

}  // namespace warden::host
