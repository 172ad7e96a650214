// SPDX-License-Identifier: Apache-2.0
// tests/bench/plugin_worker.cpp
#include "plugin_worker.hpp"

#include "ports.hpp"

#include "common/clock.hpp"
#include "s6/service_status.hpp"

#include <nlohmann/json.hpp>

#include <stdexcept>
#include <utility>

namespace warden::bench {

namespace fs = std::filesystem;
using namespace warden::host;

PluginWorkerOnS6::PluginWorkerOnS6(const fs::path &plugin, const std::string &type,
                                   const std::string &name, const std::string &config_json,
                                   const std::vector<std::pair<std::string, fs::path>> &beside)
    : ports_(PortRange{kFirstPort, kLastPort}),
      type_name_(type),
      name_(name),
      service_(type + "-" + name) {
    auto watch = ServiceWatch::start(
        sandbox_.scan_dir(), [](const std::string &) {}, &client_.status_cache());
    if (!watch) throw std::runtime_error(watch.error().message);
    watch_ = std::move(watch).value();
    plugins_.add(plugin);
    for (const auto &[link, target] : beside) plugins_.link_beside(link, target);
    registry_.load_directory(plugins_.path());
    type_ = registry_.find_worker_type(type);
    if (type_ == nullptr)
        throw std::runtime_error(plugin.filename().string() + " was not loaded, or offers no " +
                                 type + " worker");
    const WorkerIdentity identity{type, name, unix_ns()};
    auto desired = type_->derive_desired(identity, config_json);
    if (!desired) throw std::runtime_error("derive: " + desired.error().message);
    snapshot_.state = "starting";
    snapshot_.desired_json = desired.value();
    auto made = type_->create(identity, &gate_);
    if (!made) throw std::runtime_error("create: " + made.error().message);
    worker_ = std::move(made).value();
}

std::string PluginWorkerOnS6::collect() {
    auto observed = type_->collect(*worker_, snapshot_, cancel_);
    if (!observed) throw std::runtime_error("collect: " + observed.error().message);
    return std::move(observed).value();
}

void PluginWorkerOnS6::next() {
    if (auto decided = type_->next(*worker_, snapshot_); !decided)
        throw std::runtime_error("next: " + decided.error().message);
}

void PluginWorkerOnS6::execute(const std::string &action) {
    if (auto done = type_->execute(*worker_, action, snapshot_, cancel_); !done)
        throw std::runtime_error(action + ": " + done.error().message);
}

std::string PluginWorkerOnS6::collect_until_ready(std::chrono::seconds timeout) {
    std::string observed;
    const bool ready = test::wait_until(
        [&] {
            observed = collect();
            snapshot_.observed_json = observed;
            const nlohmann::json o = nlohmann::json::parse(observed, nullptr, false);
            return o.is_object() && o.value("ready", false);
        },
        timeout);
    if (!ready)
        throw std::runtime_error(service_ + " is not live and ready after " +
                                 std::to_string(timeout.count()) + " s: " + observed);
    return observed;
}

void PluginWorkerOnS6::gate_observe() {
    warden_host_ctx caller{type_name_ + "/" + name_, type_name_, name_, &gate_, &ports_};
    warden_service_status out{};
    out.struct_size = sizeof out;
    if (gate_.observe(caller, warden_str{service_.data(), service_.size()}, &out) != WARDEN_OK)
        throw std::runtime_error("the gate did not observe " + service_);
}

void PluginWorkerOnS6::client_observe() {
    if (!client_.observe(service_)) throw std::runtime_error("cannot observe " + service_);
}

void PluginWorkerOnS6::client_read() {
    if (!reader_.observe(service_)) throw std::runtime_error("cannot observe " + service_);
}

void PluginWorkerOnS6::decode() {
    const auto bytes = read_status_file(service_dir());
    if (!bytes || !bytes.value() || !decode_status(*bytes.value()))
        throw std::runtime_error("cannot read the status of " + service_);
}

pid_t PluginWorkerOnS6::service_pid() {
    const auto status = client_.observe(service_);
    if (!status || !status->up) throw std::runtime_error(service_ + " is not running");
    return static_cast<pid_t>(status->pid);
}

fs::path PluginWorkerOnS6::service_dir() const {
    return sandbox_.scan_dir() / service_;
}

}  // namespace warden::bench
