// SPDX-License-Identifier: Apache-2.0
// warden/testing/fake_s6.hpp — the in-memory stand-in for s6 behind the
// fake host's service slots.
//
// FakeS6 keeps services by name with their spec, their status as s6 would
// report it, and every command they got. It follows the host's contract
// [WP-SVC-2]: the same spec twice leaves the process alone, a changed spec
// updates the service in place and restarts its process, stop kills with the
// down signal, removal is idempotent and keeps the logs unless asked. Tests
// change a service's status to play what s6 does on its own: a crash, a
// restart, a supervisor gone; and write its log lines, as s6-log would.
//
// No process runs and no file is written.
// THREADING: every method is thread-safe.
#ifndef WARDEN_TESTING_FAKE_S6_HPP
#define WARDEN_TESTING_FAKE_S6_HPP

#include <warden/plugin.h>
#include <warden/host.hpp>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace warden::testing {

/// One service in the fake s6. Tests may read and change it.
struct FakeService {
    ServiceSpec spec;
    ServiceStatus status;
    std::vector<std::pair<ServiceCommand, int32_t>> commands;  ///< every control, in order
    int updates = 0;  ///< creates that changed an existing spec
};

class FakeS6 {
public:
    /// Creates the service, or updates it in place (restarting its process)
    /// when it exists with another spec. `now` is the wall clock (unix ns).
    void create(ServiceSpec spec, int64_t now) {
        std::lock_guard<std::mutex> lock(mutex_);
        auto it = services_.find(spec.name);
        if (it != services_.end()) {
            if (same_spec(it->second.spec, spec)) return;  // adopted as it is
            FakeService &s = it->second;
            s.spec = std::move(spec);
            s.updates += 1;
            if (s.status.up) {
                kill_process(s, now);
                start_process(s, now);
            }
            return;
        }
        FakeService s;
        s.spec = std::move(spec);
        s.status.exists = true;
        s.status.supervised = true;
        s.status.normally_up = !s.spec.start_down;
        s.status.want_up = !s.spec.start_down;
        s.status.since_ns = now;
        if (s.status.want_up) start_process(s, now);
        const std::string name = s.spec.name;
        services_.emplace(name, std::move(s));
    }

    /// The status s6 would report; a missing service reads as not existing.
    ServiceStatus observe(const std::string &name) const {
        std::lock_guard<std::mutex> lock(mutex_);
        auto it = services_.find(name);
        return it == services_.end() ? ServiceStatus{} : it->second.status;
    }

    /// Applies one WARDEN_CONTROL_* command. As on the host: WARDEN_ERR_NOT_FOUND
    /// when the service is missing, WARDEN_ERR_NOT_SUPERVISED when its
    /// supervisor is gone; WARDEN_OK otherwise.
    warden_status control(const std::string &name, int32_t command, int32_t signal_number,
                          int64_t now) {
        std::lock_guard<std::mutex> lock(mutex_);
        auto it = services_.find(name);
        if (it == services_.end()) return WARDEN_ERR_NOT_FOUND;
        if (!it->second.status.supervised) return WARDEN_ERR_NOT_SUPERVISED;
        FakeService &s = it->second;
        s.commands.emplace_back(static_cast<ServiceCommand>(command), signal_number);
        switch (command) {
            case WARDEN_CONTROL_START_PERSIST: s.status.normally_up = true; [[fallthrough]];
            case WARDEN_CONTROL_START:
                s.status.want_up = true;
                if (!s.status.up) start_process(s, now);
                break;
            case WARDEN_CONTROL_STOP_PERSIST: s.status.normally_up = false; [[fallthrough]];
            case WARDEN_CONTROL_STOP:
                s.status.want_up = false;
                kill_process(s, now);
                break;
            case WARDEN_CONTROL_RESTART:
                if (s.status.up) {
                    kill_process(s, now);
                    start_process(s, now);
                }
                break;
            default: break;  // WARDEN_CONTROL_SIGNAL: recorded above
        }
        return WARDEN_OK;
    }

    void remove(const std::string &name, bool delete_logs = false) {
        std::lock_guard<std::mutex> lock(mutex_);
        services_.erase(name);
        if (delete_logs) logs_.erase(name);
    }

    /// The last `max_lines` lines of the service's log, oldest first, from
    /// at most the last `max_bytes` of it as s6-log writes it (each line with
    /// its newline), as the host reads the end of the file: a line that does
    /// not fit ends the tail. None when it logged nothing.
    std::vector<std::string> log_tail(const std::string &name, std::size_t max_lines,
                                      std::size_t max_bytes) const {
        std::lock_guard<std::mutex> lock(mutex_);
        const auto it = logs_.find(name);
        if (it == logs_.end()) return {};
        const std::vector<std::string> &lines = it->second;
        std::size_t first = lines.size();
        std::size_t bytes = 0;
        while (first > 0 && lines.size() - first < max_lines &&
               bytes + lines[first - 1].size() + 1 <= max_bytes)
            bytes += lines[--first].size() + 1;
        return std::vector<std::string>(lines.begin() + static_cast<std::ptrdiff_t>(first),
                                        lines.end());
    }

    std::vector<std::string> list(std::string_view prefix) const {
        std::lock_guard<std::mutex> lock(mutex_);
        std::vector<std::string> names;
        for (const auto &entry : services_)
            if (entry.first.compare(0, prefix.size(), prefix) == 0) names.push_back(entry.first);
        return names;
    }

    // ---- for tests --------------------------------------------------------

    bool has(const std::string &name) const {
        std::lock_guard<std::mutex> lock(mutex_);
        return services_.count(name) != 0;
    }
    FakeService get(const std::string &name) const {
        std::lock_guard<std::mutex> lock(mutex_);
        return find(name);
    }
    /// Changes a service as s6 would report it (a stale supervisor, say).
    void update(const std::string &name, const std::function<void(FakeService &)> &change) {
        std::lock_guard<std::mutex> lock(mutex_);
        change(find(name));
    }
    /// The process exited with `exit_code`; s6 counts the death and, as the
    /// service still wants up, will start it again (see revive).
    void crash(const std::string &name, int32_t exit_code, int64_t now) {
        std::lock_guard<std::mutex> lock(mutex_);
        FakeService &s = find(name);
        end_process(s, now);
        s.status.last_exit_code = exit_code;
        s.status.restart_count += 1;
    }
    /// s6 started the service's process again.
    void revive(const std::string &name, int64_t now) {
        std::lock_guard<std::mutex> lock(mutex_);
        start_process(find(name), now);
    }
    /// Replaces the service's log with `lines` (each without its newline).
    void set_log(const std::string &name, std::vector<std::string> lines) {
        std::lock_guard<std::mutex> lock(mutex_);
        logs_[name] = std::move(lines);
    }
    void append_log(const std::string &name, std::string line) {
        std::lock_guard<std::mutex> lock(mutex_);
        logs_[name].push_back(std::move(line));
    }

private:
    static constexpr int32_t kSigterm = WARDEN_DEFAULT_DOWN_SIGNAL;

    FakeService &find(const std::string &name) {
        auto it = services_.find(name);
        if (it == services_.end()) throw std::runtime_error("no service " + name);
        return it->second;
    }
    const FakeService &find(const std::string &name) const {
        return const_cast<FakeS6 *>(this)->find(name);
    }

    void start_process(FakeService &s, int64_t now) {
        s.status.up = true;
        s.status.pid = next_pid_++;
        s.status.since_ns = now;
        s.status.ready = s.spec.notification_fd == 0;
        s.status.ready_since_ns = s.status.ready ? now : 0;
    }
    static void end_process(FakeService &s, int64_t now) {
        s.status.up = false;
        s.status.ready = false;
        s.status.ready_since_ns = 0;
        s.status.pid = 0;
        s.status.since_ns = now;
        s.status.died = true;
        s.status.last_exit_code = 0;
        s.status.last_signal = 0;
    }
    static void kill_process(FakeService &s, int64_t now) {
        if (!s.status.up) return;
        end_process(s, now);
        s.status.last_signal = s.spec.down_signal != 0 ? s.spec.down_signal : kSigterm;
    }

    static bool same_spec(const ServiceSpec &a, const ServiceSpec &b) {
        auto same_files = [](const std::vector<ServiceFile> &x, const std::vector<ServiceFile> &y) {
            if (x.size() != y.size()) return false;
            for (std::size_t i = 0; i < x.size(); ++i)
                if (x[i].path != y[i].path || x[i].content != y[i].content ||
                    x[i].mode != y[i].mode)
                    return false;
            return true;
        };
        return a.name == b.name && a.argv == b.argv && a.env == b.env &&
               a.working_dir == b.working_dir && same_files(a.files, b.files) &&
               a.notification_fd == b.notification_fd && a.down_signal == b.down_signal &&
               a.kill_timeout_ms == b.kill_timeout_ms && a.start_down == b.start_down &&
               a.log_max_files == b.log_max_files && a.log_max_file_bytes == b.log_max_file_bytes &&
               a.user == b.user && a.group == b.group;
    }

    mutable std::mutex mutex_;
    std::map<std::string, FakeService> services_;
    std::map<std::string, std::vector<std::string>> logs_;  // kept after removal, like s6-log's
    int64_t next_pid_ = 1000;
};

}  // namespace warden::testing

#endif  // WARDEN_TESTING_FAKE_S6_HPP
