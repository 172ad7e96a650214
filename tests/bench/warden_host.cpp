// SPDX-License-Identifier: Apache-2.0
// tests/bench/warden_host.cpp
#include "warden_host.hpp"

#include "test_paths.hpp"
#include "text.hpp"

#include "s6/service_status.hpp"

#include <algorithm>
#include <fstream>
#include <stdexcept>
#include <thread>

namespace warden::bench {

namespace fs = std::filesystem;

double ms_since(Clock::time_point start) {
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

bool wait_fine(const std::function<bool()> &done, std::chrono::seconds timeout) {
    const auto deadline = Clock::now() + timeout;
    while (!done()) {
        if (Clock::now() >= deadline) return false;
        std::this_thread::sleep_for(std::chrono::microseconds(250));
    }
    return true;
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

int64_t service_pid(const fs::path &scan_dir, const std::string &service) {
    const auto status = host::current_status(scan_dir / service);
    return status && status->up() ? status->pid : 0;
}

bool all_up(const fs::path &scan_dir, const std::vector<std::string> &services) {
    for (const auto &s : services)
        if (service_pid(scan_dir, s) == 0) return false;
    return true;
}

WardenHost::WardenHost() {
    plugins_.add(test::paths::exec_plugin);
    fs::create_directories(sandbox_.scan_dir());
}

void WardenHost::write_config(int workers, const std::string &prefix, const std::string &extra) {
    std::string text = "scan_dir: " + scan().string() + "\nplugin_dirs: [" +
                       plugins_.path().string() + "]\n" + extra +
                       (workers == 0 ? "workers: []\n" : "workers:\n");
    for (int i = 0; i < workers; ++i)
        text += "  - {type: exec, name: " + prefix + std::to_string(i) +
                ", config: {command: /bin/sleep, args: ['3600']}}\n";
    // Written under another name and renamed in, as deploy tools do.
    const fs::path next = config_.string() + ".next";
    std::ofstream(next) << text;
    fs::rename(next, config_);
}

void WardenHost::start_host() {
    const std::string run = "host-" + std::to_string(++runs_);
    host_ = std::make_unique<test::BackgroundProcess>(
        std::vector<std::string>{test::paths::warden_binary, "--config", config_.string(),
                                 "--log-dir", sandbox_.log_root().string()},
        sandbox_.root() / (run + ".out"), sandbox_.root() / (run + ".err"));
    if (!wait_fine([&] { return test::occurrences(host_->err(), " running ") > 0; },
                   std::chrono::seconds(30)))
        throw std::runtime_error("the host did not start:\n" + host_->err());
}

bool WardenHost::all_gone(const std::vector<std::string> &services) const {
    for (const auto &s : services)
        if (fs::exists(scan() / s) || fs::exists(scan() / (".removing-" + s))) return false;
    return true;
}

std::vector<std::string> WardenHost::services(int n, const std::string &prefix) {
    std::vector<std::string> out;
    for (int i = 0; i < n; ++i) out.push_back("exec-" + prefix + std::to_string(i));
    return out;
}

}  // namespace warden::bench
