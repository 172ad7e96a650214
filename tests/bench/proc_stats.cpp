// SPDX-License-Identifier: Apache-2.0
// tests/bench/proc_stats.cpp
#include "proc_stats.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sched.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>

extern char **environ;

namespace warden::bench {

namespace fs = std::filesystem;

Usage usage_of(pid_t pid) {
    Usage u;
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string line;
    std::getline(stat, line);
    // The name in parentheses may hold spaces: the fields start after the last ')'.
    const auto close = line.rfind(')');
    if (close == std::string::npos) return u;
    std::istringstream rest(line.substr(close + 2));
    std::string field;
    unsigned long utime = 0, stime = 0;
    for (int i = 3; i <= 15 && rest >> field; ++i) {
        if (i == 14) utime = std::stoul(field);
        if (i == 15) stime = std::stoul(field);
    }
    u.cpu_seconds =
        static_cast<double>(utime + stime) / static_cast<double>(::sysconf(_SC_CLK_TCK));
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    while (std::getline(status, line))
        if (line.rfind("VmRSS:", 0) == 0)
            u.rss_kib = std::stol(line.substr(6));
        else if (line.rfind("Threads:", 0) == 0)
            u.threads = std::stol(line.substr(8));
    std::ifstream rollup("/proc/" + std::to_string(pid) + "/smaps_rollup");
    while (std::getline(rollup, line))
        if (line.rfind("Pss:", 0) == 0) u.pss_kib = std::stol(line.substr(4));
    return u;
}

Usage usage_of(const std::vector<pid_t> &pids) {
    Usage sum;
    for (pid_t pid : pids) {
        const Usage u = usage_of(pid);
        sum.cpu_seconds += u.cpu_seconds;
        sum.rss_kib += u.rss_kib;
        sum.pss_kib += u.pss_kib;
        sum.threads += u.threads;
    }
    return sum;
}

std::vector<pid_t> processes_under(const fs::path &root) {
    std::vector<pid_t> out;
    DIR *proc = ::opendir("/proc");
    if (proc == nullptr) return out;
    while (const dirent *e = ::readdir(proc)) {
        const pid_t pid = static_cast<pid_t>(std::atoi(e->d_name));
        if (pid <= 0) continue;
        std::error_code ec;
        const fs::path cwd = fs::read_symlink("/proc/" + std::to_string(pid) + "/cwd", ec);
        if (!ec && cwd.string().rfind(root.string(), 0) == 0) out.push_back(pid);
    }
    ::closedir(proc);
    return out;
}

std::vector<pid_t> processes_named(const std::string &comm, const fs::path &root) {
    std::vector<pid_t> out;
    for (const pid_t pid : processes_under(root)) {
        std::ifstream name("/proc/" + std::to_string(pid) + "/comm");
        std::string text;
        std::getline(name, text);
        if (text == comm) out.push_back(pid);
    }
    return out;
}

// The socket inodes among the process's fds, matched against the
// established (state 01) entries of its network namespace's TCP tables.
int tcp_connections_of(pid_t pid) {
    const std::string proc = "/proc/" + std::to_string(pid);
    std::set<std::string> established;
    for (const char *table : {"/net/tcp", "/net/tcp6"}) {
        std::ifstream in(proc + table);
        std::string line;
        std::getline(in, line);  // the header
        while (std::getline(in, line)) {
            std::istringstream fields(line);
            std::string slot, local, remote, state, queues, timer, retransmits, uid, timeout, inode;
            fields >> slot >> local >> remote >> state >> queues >> timer >> retransmits >> uid >>
                timeout >> inode;
            if (state == "01") established.insert(inode);
        }
    }
    int count = 0;
    std::error_code ec;
    for (const auto &fd : fs::directory_iterator(proc + "/fd", ec)) {
        const std::string target = fs::read_symlink(fd.path(), ec).string();
        if (!ec && target.rfind("socket:[", 0) == 0 &&
            established.count(target.substr(8, target.size() - 9)) > 0)
            ++count;
    }
    return count;
}

bool pin_to_cpu(pid_t pid, int cpu) {
    cpu_set_t set;
    CPU_ZERO(&set);
    if (cpu >= 0) {
        CPU_SET(cpu, &set);
    } else {
        for (long c = 0; c < ::sysconf(_SC_NPROCESSORS_ONLN) && c < CPU_SETSIZE; ++c)
            CPU_SET(static_cast<int>(c), &set);
    }
    if (pid == 0) return ::sched_setaffinity(0, sizeof set, &set) == 0;
    bool all = true;
    std::error_code ec;
    for (const auto &task : fs::directory_iterator("/proc/" + std::to_string(pid) + "/task", ec))
        all &= ::sched_setaffinity(static_cast<pid_t>(std::atoi(task.path().filename().c_str())),
                                   sizeof set, &set) == 0;
    return all && !ec;
}

void spawn_and_wait(const std::string &program, const std::vector<std::string> &argv) {
    std::vector<char *> args;
    for (const std::string &a : argv) args.push_back(const_cast<char *>(a.c_str()));
    args.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    pid_t pid = 0;
    const int err = posix_spawn(&pid, program.c_str(), &actions, nullptr, args.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (err != 0) throw std::runtime_error("cannot spawn " + program);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0)
        if (errno != EINTR) throw std::runtime_error("cannot wait for " + program);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        throw std::runtime_error(program + " failed: " +
                                 (WIFEXITED(status)
                                      ? "exit " + std::to_string(WEXITSTATUS(status))
                                      : "signal " + std::to_string(WTERMSIG(status))));
}

}  // namespace warden::bench
