// SPDX-License-Identifier: Apache-2.0
// tests/bench/plugin_worker.hpp — one worker of a real plugin, driven in
// process the way the host drives it, for the worker benchmarks to time its
// hooks.
//
// PluginWorkerOnS6 copies the plugin's .so into a plugin directory, loads
// it through the host's plugin registry, and makes one worker of a type
// with a config, its services on a real s6-svscan of its own (the scan dir
// under TMPDIR) behind the host's ServiceGate, its ports reserved from
// 25000-31999 (ports.hpp). The benchmark then calls the worker's hooks from
// its own thread: execute an action, collect, next; and the layers under
// the plugin's service slot one by one, to see where a collect's time goes.
// As in the host, the scan dir's ServiceWatch keeps the client's status
// cache: a settled service is observed from memory.
//
// OWNERSHIP: everything it starts (s6-svscan, the services, their
// children) is stopped by pid when it goes, as S6Sandbox does.
// THREADING: one thread, as the host's collector and executor of one worker
// never overlap here.
#pragma once

#include "net/port_registry.hpp"
#include "plugin_services/service_gate.hpp"
#include "plugins/plugin_registry.hpp"
#include "s6/s6_client.hpp"
#include "s6/service_watch.hpp"

#include "plugin_dir.hpp"
#include "s6_sandbox.hpp"

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace warden::bench {

class PluginWorkerOnS6 {
public:
    /// Loads `plugin` (a .so) and makes worker `type`/`name` with `config_json`
    /// (the worker's `config:` as JSON), its snapshot in state "starting";
    /// throws with the host's words when a step fails. Its service is
    /// "<type>-<name>". Each of `beside` (a name and a target) is linked
    /// beside the plugin directory first, as a plugin's installed files are
    /// (the graphql plugin's topic-browser/).
    PluginWorkerOnS6(const std::filesystem::path &plugin, const std::string &type,
                     const std::string &name, const std::string &config_json,
                     const std::vector<std::pair<std::string, std::filesystem::path>> &beside = {});

    /// The worker's collect hook on the current snapshot; its document.
    std::string collect();
    /// The worker's next hook on the current snapshot.
    void next();
    /// Runs `action` through the worker's execute hook.
    void execute(const std::string &action);
    /// Collects (into the snapshot) until the observed document says
    /// "ready": true, for at most `timeout`; throws with the last document
    /// when it does not. Returns that document.
    std::string collect_until_ready(std::chrono::seconds timeout);

    /// The service slot as the plugin reaches it: scoped to the worker, audited.
    void gate_observe();
    /// S6Client::observe alone: from its cache while nothing changed.
    void client_observe();
    /// S6Client::observe with no watch, so no cache: the lock, the status
    /// file, the tally read each time.
    void client_read();
    /// The status file alone: read and decoded.
    void decode();

    /// The running service's pid; throws when it is not up.
    pid_t service_pid();
    std::filesystem::path service_dir() const;
    /// What collect, next and execute are handed; the benchmark sets the
    /// state and the observed document as the host would.
    host::WorkerSnapshot &snapshot() { return snapshot_; }

private:
    test::S6Sandbox sandbox_;
    host::S6Client client_{sandbox_.options()};
    host::S6Client reader_{sandbox_.options()};  // no watch: reads every time
    std::unique_ptr<host::ServiceWatch> watch_;
    host::PortRegistry ports_;
    host::ServiceGate gate_{client_, &ports_};
    test::PluginDir plugins_;
    host::PluginRegistry registry_;
    const host::WorkerType *type_ = nullptr;
    std::unique_ptr<host::PluginWorker> worker_;
    host::WorkerSnapshot snapshot_;
    warden_cancel cancel_;
    std::string type_name_;
    std::string name_;
    std::string service_;
};

}  // namespace warden::bench
