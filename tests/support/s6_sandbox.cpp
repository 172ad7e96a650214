// SPDX-License-Identifier: Apache-2.0
// tests/support/s6_sandbox.cpp
#include "s6_sandbox.hpp"

#include "test_paths.hpp"

#include "s6/supervise.hpp"
#include "s6/svscan.hpp"

#include <dirent.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace warden::test {
namespace {

// Reaps every child that has exited, without blocking.
void reap() {
    while (::waitpid(-1, nullptr, WNOHANG) > 0) {
    }
}

std::string process_state(pid_t pid) {
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string line;
    std::getline(stat, line);
    const std::size_t close = line.rfind(')');
    return close == std::string::npos || close + 2 >= line.size() ? "" : line.substr(close + 2, 1);
}

}  // namespace

bool signal_process(pid_t pid, int signal) {
    return pid > 1 && ::kill(pid, signal) == 0;
}

bool process_alive(pid_t pid) {
    if (pid <= 0 || ::kill(pid, 0) != 0) return false;
    const std::string state = process_state(pid);
    return !state.empty() && state != "Z" && state != "X";
}

bool wait_until(const std::function<bool()> &condition, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    auto pause = std::chrono::microseconds(200);
    while (!condition()) {
        if (std::chrono::steady_clock::now() >= deadline) return false;
        reap();
        std::this_thread::sleep_for(pause);
        pause = std::min(pause * 2, std::chrono::microseconds(20'000));
    }
    return true;
}

S6Sandbox::S6Sandbox(bool start) : dir_("warden-s6") {
    ::prctl(PR_SET_CHILD_SUBREAPER, 1);
    std::filesystem::create_directories(scan_dir());
    std::filesystem::create_directories(log_root());
    if (start) start_svscan();
}

S6Sandbox::~S6Sandbox() {
    try {
        kill_everything();
    } catch (...) {
    }
}

host::S6Paths S6Sandbox::s6_paths() {
    host::S6Paths paths;
    paths.guard = test::paths::guard_program;
    return paths;
}

host::S6Options S6Sandbox::options() const {
    return host::S6Options{scan_dir(), log_root(), s6_paths()};
}

std::string S6Sandbox::svscan_output() const {
    std::ifstream in(svscan_log_dir() / "current", std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

pid_t S6Sandbox::svscan_logger_pid() const {
    return host::lock_holder(svscan_log_dir() / "lock").value_or(0);
}

void S6Sandbox::start_svscan() {
    auto started = host::ensure_svscan(scan_dir(), svscan_log_dir(), s6_paths());
    if (!started) throw std::runtime_error("cannot start s6-svscan: " + started.error().message);
    svscan_pid_ = started->pid;
}

void S6Sandbox::stop_svscan() {
    if (svscan_pid_ == 0) return;
    ::kill(svscan_pid_, SIGTERM);  // take the supervision tree down, then exit
    if (!wait_until([&] { return !process_alive(svscan_pid_); }, std::chrono::seconds(15)))
        ::kill(svscan_pid_, SIGKILL);
    reap();
    svscan_pid_ = 0;
}

std::vector<pid_t> S6Sandbox::processes() const {
    std::vector<pid_t> pids;
    const std::string root_text = std::filesystem::canonical(root()).string();
    DIR *proc = ::opendir("/proc");
    if (proc == nullptr) return pids;
    while (const dirent *entry = ::readdir(proc)) {
        const pid_t pid = static_cast<pid_t>(std::atoi(entry->d_name));
        if (pid <= 0 || pid == ::getpid()) continue;
        std::error_code ec;
        const auto cwd = std::filesystem::read_symlink("/proc/" + std::to_string(pid) + "/cwd", ec);
        const std::string text = cwd.string();
        if (!ec && text.compare(0, root_text.size(), root_text) == 0 && process_alive(pid))
            pids.push_back(pid);
    }
    ::closedir(proc);
    return pids;
}

void S6Sandbox::kill_everything() {
    if (svscan_pid_ != 0) ::kill(svscan_pid_, SIGKILL);
    for (int round = 0; round < 50; ++round) {
        const std::vector<pid_t> left = processes();
        if (left.empty()) break;
        for (const pid_t pid : left) {
            ::kill(-pid, SIGKILL);
            ::kill(pid, SIGKILL);
        }
        wait_until(
            [&] {
                for (const pid_t pid : left)
                    if (process_alive(pid)) return false;
                return true;
            },
            std::chrono::seconds(2));
    }
    reap();
    svscan_pid_ = 0;
}

}  // namespace warden::test
