// SPDX-License-Identifier: Apache-2.0
// tests/bench/machine_limits.cpp
#include "machine_limits.hpp"

#include <dirent.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

namespace warden::bench {
namespace {

namespace fs = std::filesystem;

// Room left beside the workers: the host's threads, the bench, what the
// machine starts meanwhile.
constexpr long long kTaskMargin = 512;
// Descriptors s6-svscan holds beside its services' pipes (its control
// FIFO, self-pipe, standard ones), with room to spare.
constexpr long long kSvscanFds = 64;
// Memory a worker's four processes take: 0.45 MiB of PSS measured at 1,000
// and 5,000, and the kernel's share (stacks, page tables); this is with room.
constexpr long long kKibPerWorker = 1024;
// Below pid 300 the kernel never hands out a pid again after wrapping
// (RESERVED_PIDS).
constexpr long long kReservedPids = 300;

long long read_number(const fs::path &file, long long fallback = -1) {
    std::ifstream in(file);
    long long value = fallback;
    if (!(in >> value)) return fallback;
    return value;
}

std::string read_line(const fs::path &file) {
    std::ifstream in(file);
    std::string line;
    std::getline(in, line);
    return line;
}

// Tasks (threads) on the machine now: the total of /proc/loadavg's fourth field.
long long tasks_now() {
    const std::string text = read_line("/proc/loadavg");
    const auto slash = text.find('/');
    return slash == std::string::npos ? 0 : std::atoll(text.c_str() + slash + 1);
}

std::string thousands(long long n) {
    std::string digits = std::to_string(n < 0 ? -n : n);
    for (int at = static_cast<int>(digits.size()) - 3; at > 0; at -= 3)
        digits.insert(static_cast<std::size_t>(at), ",");
    return (n < 0 ? "-" : "") + digits;
}

// Every process's pid, from /proc.
std::vector<pid_t> all_pids() {
    std::vector<pid_t> pids;
    DIR *proc = ::opendir("/proc");
    if (proc == nullptr) return pids;
    while (const dirent *e = ::readdir(proc)) {
        const pid_t pid = static_cast<pid_t>(std::atoi(e->d_name));
        if (pid > 0) pids.push_back(pid);
    }
    ::closedir(proc);
    return pids;
}

bool owned_by(pid_t pid, uid_t uid) {
    struct stat st {};
    return ::stat(("/proc/" + std::to_string(pid)).c_str(), &st) == 0 && st.st_uid == uid;
}

// Inotify instances and watches held by processes of `uid` (the kernel
// counts both per user): every fd that is an inotify instance, and its
// "inotify wd:" lines in fdinfo.
void inotify_use(uid_t uid, long long &instances, long long &watches) {
    instances = watches = 0;
    for (pid_t pid : all_pids()) {
        if (!owned_by(pid, uid)) continue;
        const std::string proc = "/proc/" + std::to_string(pid);
        std::error_code ec;
        for (const auto &fd : fs::directory_iterator(proc + "/fd", ec)) {
            std::error_code link_ec;
            if (fs::read_symlink(fd.path(), link_ec).string() != "anon_inode:inotify") continue;
            ++instances;
            std::ifstream info(proc + "/fdinfo/" + fd.path().filename().string());
            std::string line;
            while (std::getline(info, line)) watches += line.rfind("inotify wd:", 0) == 0;
        }
    }
}

// The pids.max nearest this process, walking its control group up (v2, or
// v1's pids hierarchy); -1 when none limits it. `current` gets its pids.current.
long long cgroup_pids_max(long long &current, std::string &group) {
    std::ifstream cgroups("/proc/self/cgroup");
    std::string line;
    fs::path dir;
    while (std::getline(cgroups, line)) {
        const auto first = line.find(':'), second = line.find(':', first + 1);
        if (first == std::string::npos || second == std::string::npos) continue;
        const std::string controllers = line.substr(first + 1, second - first - 1);
        const std::string path = line.substr(second + 1);
        if (controllers == "pids") {
            dir = fs::path("/sys/fs/cgroup/pids") / fs::path(path).relative_path();
            break;
        }
        if (controllers.empty() && line.rfind("0::", 0) == 0)
            dir = fs::path("/sys/fs/cgroup") / fs::path(path).relative_path();
    }
    for (; !dir.empty(); dir = dir.parent_path()) {
        const std::string max = read_line(dir / "pids.max");
        if (!max.empty() && max != "max") {
            current = read_number(dir / "pids.current", 0);
            group = dir.string();
            return std::atoll(max.c_str());
        }
        if (dir == dir.root_path() || dir == "/sys/fs/cgroup") break;
    }
    return -1;
}

long long mem_available_kib() {
    std::ifstream in("/proc/meminfo");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind("MemAvailable:", 0) == 0) return std::atoll(line.c_str() + 13);
    return 0;
}

// The soft limit of open files of process `pid`, from /proc/PID/limits.
long long soft_nofile_of(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/limits");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind("Max open files", 0) == 0) {
            std::istringstream fields(line.substr(14));
            std::string soft;
            fields >> soft;
            return soft == "unlimited" ? (1LL << 40) : std::atoll(soft.c_str());
        }
    return -1;
}

std::vector<std::string> cmdline_of(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/cmdline", std::ios::binary);
    std::vector<std::string> args;
    std::string arg;
    while (std::getline(in, arg, '\0')) args.push_back(arg);
    return args;
}

}  // namespace

IdleState idle_state() {
    auto cpu_times = [] {
        std::istringstream fields(read_line("/proc/stat"));
        std::string cpu;
        fields >> cpu;
        long long total = 0, idle = 0, value = 0;
        for (int i = 0; fields >> value; ++i) {
            total += value;
            if (i == 3 || i == 4) idle += value;  // idle, iowait
        }
        return std::pair<long long, long long>{total, idle};
    };
    IdleState state;
    state.cpus = ::sysconf(_SC_NPROCESSORS_ONLN);
    state.loadavg = read_line("/proc/loadavg");
    const auto before = cpu_times();
    std::this_thread::sleep_for(std::chrono::seconds(1));  // the second measured
    const auto after = cpu_times();
    const long long total = after.first - before.first;
    state.idle_percent =
        total > 0 ? 100.0 * static_cast<double>(after.second - before.second) / total : 0;
    return state;
}

std::string describe(const IdleState &state) {
    char text[256];
    std::snprintf(text, sizeof text, "%ld CPUs, loadavg %s, %.1f%% idle over 1 s", state.cpus,
                  state.loadavg.c_str(), state.idle_percent);
    return text;
}

std::vector<Limit> machine_limits(int workers) {
    std::vector<Limit> limits;
    const long long processes = static_cast<long long>(workers) * kProcessesPerWorker;
    const long long tasks = tasks_now();

    const long long pid_max = read_number("/proc/sys/kernel/pid_max");
    limits.push_back({"kernel.pid_max " + thousands(pid_max) + " (" + thousands(tasks) +
                          " tasks run now; pids below 300 are not reused)",
                      pid_max - kReservedPids - tasks, processes + kTaskMargin,
                      "sysctl -w kernel.pid_max=4194304 (for good: a file in /etc/sysctl.d/; "
                      "systemd's 50-pid-max.conf sets that value where systemd runs)"});

    const long long threads_max = read_number("/proc/sys/kernel/threads-max");
    limits.push_back({"kernel.threads-max " + thousands(threads_max), threads_max - tasks,
                      processes + kTaskMargin, "sysctl -w kernel.threads-max=N"});

    std::string group;
    long long group_current = 0;
    const long long group_max = cgroup_pids_max(group_current, group);
    if (group_max >= 0)
        limits.push_back({"pids.max " + thousands(group_max) + " of control group " + group,
                          group_max - group_current, processes + kTaskMargin,
                          "raise pids.max of " + group +
                              " (a systemd unit's TasksMax=, for example TasksMax=infinity)"});

    rlimit nproc{};
    if (::geteuid() != 0 && ::getrlimit(RLIMIT_NPROC, &nproc) == 0 &&
        nproc.rlim_cur != RLIM_INFINITY) {
        long long mine = 0;
        for (pid_t pid : all_pids()) mine += owned_by(pid, ::geteuid());
        limits.push_back({"RLIMIT_NPROC " + thousands(static_cast<long long>(nproc.rlim_cur)) +
                              " of this user (" + thousands(mine) + " processes now)",
                          static_cast<long long>(nproc.rlim_cur) - mine, processes + kTaskMargin,
                          "ulimit -u N (as a service: LimitNPROC=)"});
    }

    rlimit nofile{};
    ::getrlimit(RLIMIT_NOFILE, &nofile);
    const long long soft =
        nofile.rlim_cur == RLIM_INFINITY ? (1LL << 40) : static_cast<long long>(nofile.rlim_cur);
    const long long hard =
        nofile.rlim_max == RLIM_INFINITY ? (1LL << 40) : static_cast<long long>(nofile.rlim_max);
    limits.push_back(
        {"RLIMIT_NOFILE " + thousands(soft) +
             " (soft) of this process, which the host and its embedded s6-svscan inherit: "
             "s6-svscan holds 2 per logged service",
         soft, 2LL * workers + kSvscanFds,
         "ulimit -n " + thousands(2LL * workers + kSvscanFds) +
             " or more in the shell that starts "
             "it (hard limit " +
             thousands(hard) + "; as packaged, LimitNOFILE= of warden-svscan.service, 65536)"});

    long long instances = 0, watches = 0;
    inotify_use(::geteuid(), instances, watches);
    const long long max_watches = read_number("/proc/sys/fs/inotify/max_user_watches");
    limits.push_back(
        {"fs.inotify.max_user_watches " + thousands(max_watches) + " (" + thousands(watches) +
             " used by this user): the host watches each "
             "service dir and its supervise/",
         max_watches - watches, 2LL * workers + 64, "sysctl -w fs.inotify.max_user_watches=N"});
    const long long max_instances = read_number("/proc/sys/fs/inotify/max_user_instances");
    limits.push_back({"fs.inotify.max_user_instances " + thousands(max_instances) + " (" +
                          thousands(instances) + " used by this user)",
                      max_instances - instances, 8, "sysctl -w fs.inotify.max_user_instances=N"});

    const long long available = mem_available_kib();
    limits.push_back({"MemAvailable " + thousands(available / 1024) + " MiB", available / 1024,
                      (static_cast<long long>(workers) * kKibPerWorker) / 1024 + 256,
                      "free memory, or run fewer workers"});
    return limits;
}

std::vector<Limit> svscan_limits(pid_t pid, int workers) {
    std::vector<Limit> limits;
    const std::vector<std::string> args = cmdline_of(pid);
    // s6 2.11 (Debian 12): -c max, default 500, one entry per service
    // directory with its logger. s6 2.12 on: -C counts services and loggers
    // alike (default 1000); -c is still taken and doubled. Either way -c M
    // keeps M logged services.
    long long logged = 500;
    std::string option = "no -c (s6's default)";
    for (std::size_t i = 0; i + 1 < args.size(); ++i) {
        if (args[i] == "-c") {
            logged = std::atoll(args[i + 1].c_str());
            option = "-c " + args[i + 1];
        } else if (args[i] == "-C") {
            logged = std::atoll(args[i + 1].c_str()) / 2;
            option = "-C " + args[i + 1];
        }
    }
    limits.push_back(
        {"s6-svscan pid " + std::to_string(pid) + " runs with " + option + ": " +
             thousands(logged) + " services with their loggers",
         logged, workers,
         "the host starts s6-svscan with -c 8192 (host/s6/svscan.cpp) and has no setting for "
         "it: start an s6-svscan of your own on the scan dir with a larger -c before the host "
         "(it uses the one it finds), or change the host"});
    const long long soft = soft_nofile_of(pid);
    limits.push_back({"RLIMIT_NOFILE " + thousands(soft) + " (soft) of s6-svscan pid " +
                          std::to_string(pid) + ": 2 per logged service",
                      soft, 2LL * workers + kSvscanFds,
                      "ulimit -n in the shell that starts the host (s6-svscan inherits it), or "
                      "LimitNOFILE= of the unit that runs s6-svscan"});
    return limits;
}

bool print_limits(const std::vector<Limit> &limits) {
    bool all = true;
    for (const Limit &limit : limits) {
        if (limit.enough()) {
            std::printf("    ok    %s: %s left, %s needed\n", limit.what.c_str(),
                        thousands(limit.left).c_str(), thousands(limit.needed).c_str());
        } else {
            all = false;
            std::printf("    SHORT %s: %s left, %s needed; raise it: %s\n", limit.what.c_str(),
                        thousands(limit.left).c_str(), thousands(limit.needed).c_str(),
                        limit.raise.c_str());
        }
    }
    std::fflush(stdout);
    return all;
}

int open_fds_of(pid_t pid) {
    int count = 0;
    std::error_code ec;
    for (auto it = fs::directory_iterator("/proc/" + std::to_string(pid) + "/fd", ec);
         !ec && it != fs::directory_iterator(); it.increment(ec))
        ++count;
    return count;
}

}  // namespace warden::bench
