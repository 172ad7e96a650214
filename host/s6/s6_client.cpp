// SPDX-License-Identifier: Apache-2.0
// host/s6/s6_client.cpp
#include "s6/s6_client.hpp"

#include "common/clock.hpp"
#include "s6/file_ops.hpp"
#include "s6/instance_record.hpp"
#include "s6/process_identity.hpp"
#include "s6/service_name.hpp"
#include "s6/service_status.hpp"
#include "s6/supervise.hpp"
#include "s6/svscan.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <csignal>
#include <map>

namespace warden::host {
namespace {

// How long stop and remove wait past a service's kill timeout for its
// supervisor to report the process gone.
constexpr std::chrono::milliseconds kStopGrace{3000};
// A service that is never killed is still waited for only this long.
constexpr std::chrono::milliseconds kNeverKillWait{10000};

bool path_exists(const std::filesystem::path &path) {
    struct stat st {};
    return ::lstat(path.c_str(), &st) == 0;
}

// `what` ("service NAME in SCAN", or a directory's path) was not made by warden.
Error not_ours(const std::string &what) {
    return fail_as(ErrorKind::conflict, what, " was not made by warden (it has no ", kManifestFile,
                   "); leaving it alone");
}

Error not_ours(std::string_view name, const std::filesystem::path &scan_dir) {
    return not_ours("service " + std::string(name) + " in " + scan_dir.string());
}

// The process running the service in `dir`, if any. Only one that is still
// the process s6 spawned: a dead supervisor's status file can name a pid
// the system has since given to another process. Its identity (pid and
// start time) keeps later signals to it from reaching a successor.
std::optional<ProcessIdentity> running_process(const std::filesystem::path &dir) {
    const auto status = current_status(dir);
    if (!status || !status->up()) return std::nullopt;
    const auto pid = static_cast<pid_t>(status->pid);
    if (!started_at(pid, status->stamp_ns)) return std::nullopt;
    return identify_process(pid);
}

std::chrono::milliseconds stop_wait(const std::filesystem::path &dir) {
    const uint32_t kill_ms = read_number_file(dir / "timeout-kill").value_or(0);
    return (kill_ms == 0 ? kNeverKillWait : std::chrono::milliseconds(kill_ms)) + kStopGrace;
}

// The s6 control byte for a signal, for the signals s6-supervise forwards.
char signal_command(int signal) {
    switch (signal) {
        case SIGALRM: return 'a';
        case SIGABRT: return 'b';
        case SIGQUIT: return 'q';
        case SIGHUP: return 'h';
        case SIGKILL: return 'k';
        case SIGTERM: return 't';
        case SIGINT: return 'i';
        case SIGUSR1: return '1';
        case SIGUSR2: return '2';
        case SIGSTOP: return 'p';
        case SIGCONT: return 'c';
        case SIGWINCH: return 'y';
        default: return 0;
    }
}

// A fresh hidden name beside `dir` for building a new service directory.
std::filesystem::path build_dir_for(const std::filesystem::path &scan_dir, std::string_view name) {
    static std::atomic<unsigned> counter{0};
    return scan_dir / ("." + std::string(name) + ".new-" + std::to_string(::getpid()) + "-" +
                       std::to_string(counter++));
}

// The service a directory named like build_dir_for's is being built for:
// ".NAME.new-PID-N", digits only after "new-"; "" for any other name.
std::string_view build_dir_service(std::string_view entry) {
    const std::size_t marker = entry.rfind(".new-");
    if (entry.size() < 2 || entry[0] != '.' || marker == std::string_view::npos || marker < 2)
        return {};
    const std::string_view name = entry.substr(1, marker - 1);
    const std::string_view suffix = entry.substr(marker + 5);
    const std::size_t dash = suffix.find('-');
    if (!valid_service_name(name) || dash == 0 || dash == std::string_view::npos ||
        dash + 1 == suffix.size())
        return {};
    for (std::size_t i = 0; i < suffix.size(); ++i)
        if (i != dash && (suffix[i] < '0' || suffix[i] > '9')) return {};
    return name;
}

std::filesystem::path removal_dir_for(const std::filesystem::path &scan_dir,
                                      std::string_view name) {
    return scan_dir / (".removing-" + std::string(name));
}

// Writes the layout's files into `dir` (an existing directory).
Result<void> write_layout(const std::filesystem::path &dir, const ServiceLayout &layout,
                          bool replace) {
    for (const LayoutFile &file : layout.files) {
        const std::filesystem::path path = dir / file.path;
        if (Result<void> made = make_directories(path.parent_path(), 0755); !made) return made;
        Result<void> written = replace ? replace_file(path, file.content, file.mode)
                                       : write_new_file(path, file.content, file.mode);
        if (!written) return written;
    }
    return replace ? replace_file(dir / kManifestFile, layout.manifest, 0644)
                   : write_new_file(dir / kManifestFile, layout.manifest, 0644);
}

}  // namespace

S6Client::S6Client(S6Options options) : options_(std::move(options)) {}

std::filesystem::path S6Client::service_dir(std::string_view name) const {
    return options_.scan_dir / std::string(name);
}

std::filesystem::path S6Client::log_dir(std::string_view name) const {
    return options_.log_root / std::string(name);
}

Result<void> S6Client::check_programs() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        if (programs_checked_) return {};
    }
    std::vector<std::filesystem::path> programs = {
        options_.paths.execlineb(), options_.paths.execline_bin / "fdmove",
        options_.paths.execline_bin / "emptyenv", options_.paths.execline_bin / "export",
        options_.paths.s6_log()};
    if (!options_.paths.guard.empty()) programs.push_back(options_.paths.guard);
    for (const std::filesystem::path &program : programs)
        if (::access(program.c_str(), X_OK) != 0)
            return file_error("cannot run services: cannot execute", program, errno);
    std::lock_guard<std::mutex> lock(mutex_);
    programs_checked_ = true;
    return {};
}

// s6's programs that switch a service to its user, checked once, and only
// when a spec asks for a switch: a host that never switches needs none.
Result<void> S6Client::check_switch_programs() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        if (switch_programs_checked_) return {};
    }
    for (const std::filesystem::path &program :
         {options_.paths.setuidgid(), options_.paths.envuidgid(), options_.paths.applyuidgid()})
        if (::access(program.c_str(), X_OK) != 0)
            return file_error("cannot run services as another user: cannot execute", program,
                              errno);
    std::lock_guard<std::mutex> lock(mutex_);
    switch_programs_checked_ = true;
    return {};
}

Result<CreateOutcome> S6Client::create(const ServiceSpec &spec) {
    if (Result<void> valid = check_service_spec(spec); !valid) return valid.error();
    Result<CreateOutcome> outcome = create_or_update(spec);
    // What it changed shows in the next observe, whenever the watch hears of it.
    status_cache_.changed(spec.name);
    return outcome;
}

Result<CreateOutcome> S6Client::create_or_update(const ServiceSpec &spec) {
    if (Result<void> programs = check_programs(); !programs) return programs.error();
    if (!spec.user.empty())
        if (Result<void> programs = check_switch_programs(); !programs) return programs.error();
    if (Result<void> usable = check_scan_dir(options_.scan_dir); !usable) return usable.error();
    const ServiceLayout layout = lay_out_service(
        spec, log_dir(spec.name), instance_record_dir(options_.scan_dir), options_.paths);
    const std::filesystem::path dir = service_dir(spec.name);
    if (!path_exists(dir)) {
        Result<CreateOutcome> created = create_new(spec, layout);
        if (created || !path_exists(dir)) return created;
        // Someone created it meanwhile: from here on it is an existing service.
    }
    auto manifest = read_file_if_exists(dir / kManifestFile);
    if (!manifest) return manifest.error();
    if (!manifest.value()) return not_ours(spec.name, options_.scan_dir);
    if (*manifest.value() == layout.manifest) return CreateOutcome::unchanged;
    return update_in_place(spec, layout, *manifest.value());
}

Result<CreateOutcome> S6Client::create_new(const ServiceSpec &spec, const ServiceLayout &layout) {
    if (Result<void> logs = make_directories(log_dir(spec.name), 0750); !logs) return logs.error();
    // s6-svscan ignores names beginning with "."; the directory appears to it
    // whole, with its run file, when it is renamed into place.
    const std::filesystem::path building = build_dir_for(options_.scan_dir, spec.name);
    Result<void> built = make_directories(building, 0755);
    if (built) built = write_layout(building, layout, /*replace=*/false);
    if (built && spec.start_down) built = write_new_file(building / "down", "", 0644);
    if (built && ::rename(building.c_str(), service_dir(spec.name).c_str()) != 0)
        built = file_error("cannot rename into place", service_dir(spec.name), errno);
    if (!built) {
        (void)remove_tree(building);
        return built.error();
    }
    // "an", not "a": a supervisor still running for a directory of this
    // name that someone deleted is told to go.
    if (Result<void> scanned = rescan(options_.scan_dir, /*prune=*/true); !scanned)
        return fail_as(ErrorKind::not_supervised, "service ", spec.name, " is in place but ",
                       scanned.error().message, "; it starts when one does");
    return CreateOutcome::created;
}

Result<CreateOutcome> S6Client::update_in_place(const ServiceSpec &spec,
                                                const ServiceLayout &layout,
                                                const std::string &old_manifest) {
    const std::filesystem::path dir = service_dir(spec.name);
    // A manifest that does not decode names no file to trust: every file
    // is rewritten and nothing is deleted on its word.
    const auto before =
        decode_manifest(old_manifest).value_or(std::map<std::string, std::string>{});
    const auto after = decode_manifest(layout.manifest).value();
    bool service_changed = before.empty();
    bool logger_changed = before.empty();
    for (const auto &[path, line] : after) {
        auto old = before.find(path);
        if (old != before.end() && old->second == line) continue;
        (path == "log/run" ? logger_changed : service_changed) = true;
    }
    for (const auto &[path, line] : before)
        if (after.count(path) == 0) {
            service_changed = true;
            if (::unlink((dir / path).c_str()) != 0 && errno != ENOENT)
                return file_error("cannot remove", dir / path, errno);
        }
    if (Result<void> written = write_layout(dir, layout, /*replace=*/true); !written)
        return written.error();
    if (Result<void> logs = make_directories(log_dir(spec.name), 0750); !logs) return logs.error();

    // The new files take effect when the processes start again. A service
    // nobody supervises right now picks them up when it is next started.
    if (logger_changed && path_exists(dir / "log" / "supervise" / "control"))
        (void)send_control(dir / "log" / "supervise" / "control", "t",
                           "the logger of " + spec.name);
    if (service_changed) {
        Result<void> restarted = send_command(dir, spec.name, 'r');
        if (!restarted && restarted.error().kind != ErrorKind::not_supervised)
            return restarted.error();
    }
    return CreateOutcome::updated;
}

Result<ServiceStatus> S6Client::observe(std::string_view name) {
    if (Result<void> valid = check_service_name(name); !valid) return valid.error();
    const int64_t now = monotonic_ns();
    StatusCache::Ticket ticket;
    if (std::optional<ServiceStatus> kept = status_cache_.find(name, now, ticket)) return *kept;
    Result<ServiceStatus> status = read_service(name);
    if (status) status_cache_.store(name, ticket, status.value(), now);
    return status;
}

Result<ServiceStatus> S6Client::read_service(std::string_view name) {
    status_reads_.fetch_add(1, std::memory_order_relaxed);
    const std::filesystem::path dir = service_dir(name);
    ServiceStatus status;
    auto bytes = read_status_file(dir);
    if (!bytes) return bytes.error();
    if (!bytes.value()) {
        // Not supervised yet (or not at all): say whether it is there.
        status.exists = path_exists(dir);
        if (status.exists && !made_by_warden(dir)) return not_ours(name, options_.scan_dir);
        if (status.exists) {
            status.supervised = lock_holder(dir / "supervise" / "lock").has_value();
            status.normally_up = !path_exists(dir / "down");
        }
        return status;
    }
    // The same status bytes as last time: the same supervisor of the same
    // directory, known to be Warden's. Checked again on any change.
    if (!seen_before(name, *bytes.value()) && !made_by_warden(dir))
        return not_ours(name, options_.scan_dir);
    Result<StatusRecord> record = decode_status(*bytes.value());
    if (!record) return fail("service ", std::string(name), ": ", record.error().message);
    const StatusRecord &r = record.value();
    status.exists = true;
    status.supervised = lock_holder(dir / "supervise" / "lock").has_value();
    status.up = r.up();
    status.pid = status.up ? r.pid : 0;
    status.finishing = r.finishing;
    status.want_up = r.want_up;
    status.ready = status.up && r.ready_flag;
    status.since_ns = r.stamp_ns;
    status.ready_since_ns = status.ready ? r.ready_stamp_ns : 0;
    status.normally_up = !path_exists(dir / "down");
    const DeathMemo deaths = read_deaths(std::string(name), *bytes.value(), dir);
    status.restart_count = deaths.total;
    status.died = deaths.total > 0;
    status.last_exit_code = deaths.last_exit_code;
    status.last_signal = deaths.last_signal;
    return status;
}

bool S6Client::seen_before(std::string_view name, const std::string &status_bytes) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto memo = deaths_.find(name);
    return memo != deaths_.end() && memo->second.status_bytes == status_bytes;
}

// Deaths of a service, counted past the tally's last 100 records and across
// restarts of its supervisor (which empty the tally). The tally is read only
// when the status file changed: every death rewrites it after the tally.
S6Client::DeathMemo S6Client::read_deaths(const std::string &name, const std::string &status_bytes,
                                          const std::filesystem::path &dir) {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        auto memo = deaths_.find(name);
        if (memo != deaths_.end() && memo->second.status_bytes == status_bytes) return memo->second;
    }
    auto tally_bytes = read_file_if_exists(dir / "supervise" / "death_tally");
    const std::string tally_content =
        tally_bytes && tally_bytes.value() ? *tally_bytes.value() : std::string();
    const DeathTally tally(tally_content);
    std::lock_guard<std::mutex> lock(mutex_);
    DeathMemo &memo = deaths_[name];
    const bool first = memo.status_bytes.empty();
    const uint32_t new_deaths = first ? tally.count() : tally.deaths_after(memo.last_death_ns);
    memo.total += new_deaths;
    if (new_deaths > 0) {
        memo.last_death_ns = tally.last_death_ns();
        memo.last_exit_code = tally.last_exit_code();
        memo.last_signal = tally.last_signal();
    }
    memo.status_bytes = status_bytes;
    return memo;
}

Result<void> S6Client::control(std::string_view name, ServiceCommand command, int signal_number) {
    if (Result<void> valid = check_service_name(name); !valid) return valid;
    Result<void> sent = send(name, command, signal_number);
    // Taken or not, the command may have changed the service: the observe
    // after it reads s6, whenever the watch hears of the change.
    status_cache_.changed(name);
    return sent;
}

Result<void> S6Client::send(std::string_view name, ServiceCommand command, int signal_number) {
    const std::filesystem::path dir = service_dir(name);
    if (!path_exists(dir))
        return fail_as(ErrorKind::not_found, "no service ", std::string(name), " in ",
                       options_.scan_dir.string());
    if (!made_by_warden(dir)) return not_ours(name, options_.scan_dir);
    const std::filesystem::path fifo = dir / "supervise" / "control";
    const std::string who = "service " + std::string(name);
    switch (command) {
        case ServiceCommand::start: return send_command(dir, name, 'u');
        case ServiceCommand::start_persist: return send_command(dir, name, 'U');
        case ServiceCommand::stop: return send_command(dir, name, 'd');
        case ServiceCommand::stop_persist: return send_command(dir, name, 'D');
        case ServiceCommand::restart: return send_command(dir, name, 'r');
        case ServiceCommand::signal: {
            const char byte = signal_command(signal_number);
            if (byte == 0)
                return fail_as(ErrorKind::unsupported, "signal ", std::to_string(signal_number),
                               " cannot be sent through s6 (it forwards ALRM, ABRT, QUIT, HUP, "
                               "KILL, TERM, INT, USR1, USR2, STOP, CONT and WINCH)");
            return send_control(fifo, std::string(1, byte), who);
        }
    }
    return fail_as(ErrorKind::unsupported, "unknown service command");
}

// How long s6-supervise has to take a command before control gives up.
constexpr std::chrono::milliseconds kCommandTimeout{5000};

// Sends one command byte and waits until s6-supervise has taken it: its
// wanted state (and `down` file) changed, or, for a restart, the old process
// is gone. Stopping and restarting also end the old process group: the down
// signal to every process in it, SIGKILL to whatever the main process left
// behind once it is gone.
Result<void> S6Client::send_command(const std::filesystem::path &dir, std::string_view name,
                                    char command) {
    const std::optional<ProcessIdentity> process = running_process(dir);
    const std::string who = "service " + std::string(name);
    const std::filesystem::path fifo = dir / "supervise" / "control";
    Result<void> sent = send_control(fifo, std::string(1, command), who);
    // s6-supervise takes its lock before it opens the control FIFO, and
    // announces its first status after: a supervisor just starting refuses
    // the FIFO for a moment. Try again on each change it makes.
    if (!sent && sent.error().kind == ErrorKind::not_supervised &&
        lock_holder(dir / "supervise" / "lock"))
        wait_for_supervise_change(
            dir,
            [&] {
                sent = send_control(fifo, std::string(1, command), who);
                return sent.ok() || !lock_holder(dir / "supervise" / "lock");
            },
            kCommandTimeout);
    if (!sent) return sent;
    const bool stopping = command == 'd' || command == 'D';
    const bool starting = command == 'u' || command == 'U';
    if (stopping || starting) {
        const auto taken = [&] {
            const auto status = current_status(dir);
            if (!status || status->want_up != starting) return false;
            if (command == 'D') return path_exists(dir / "down");
            if (command == 'U') return !path_exists(dir / "down");
            return true;
        };
        if (!wait_for_supervise_change(dir, taken, kCommandTimeout))
            return fail_as(ErrorKind::timeout, who, ": s6-supervise did not take command '",
                           std::string(1, command), "' within ",
                           std::to_string(kCommandTimeout.count()), " ms");
    }
    if (starting || !process) return {};
    const int down_signal =
        static_cast<int>(read_number_file(dir / "down-signal").value_or(SIGTERM));
    signal_process_group(*process, down_signal);
    // Done when s6-supervise has seen the old process die (its status no
    // longer names it), not merely when the process exited.
    const auto gone = [&] {
        const auto status = current_status(dir);
        return !status || status->pid != process->pid;
    };
    const auto wait = stop_wait(dir);
    if (!wait_for_supervise_change(dir, gone, wait))
        return fail_as(ErrorKind::timeout, who, ": process ", std::to_string(process->pid),
                       " did not exit within ", std::to_string(wait.count()), " ms of signal ",
                       std::to_string(down_signal));
    signal_process_group(*process, SIGKILL);
    return {};
}

Result<void> S6Client::remove(std::string_view name, bool delete_logs) {
    if (Result<void> valid = check_service_name(name); !valid) return valid;
    Result<void> removed = remove_service(name, delete_logs);
    status_cache_.changed(name);  // done or not, as after a command
    return removed;
}

Result<void> S6Client::remove_service(std::string_view name, bool delete_logs) {
    const std::filesystem::path hidden = removal_dir_for(options_.scan_dir, name);
    // A removal that was interrupted is finished first.
    if (path_exists(hidden))
        if (Result<void> finished = finish_removal(hidden, name); !finished) return finished;
    const std::filesystem::path dir = service_dir(name);
    if (path_exists(dir) && !made_by_warden(dir)) return not_ours(name, options_.scan_dir);
    if (path_exists(dir)) {
        if (::rename(dir.c_str(), hidden.c_str()) != 0)
            return file_error("cannot move out of the scan dir", dir, errno);
        if (Result<void> finished = finish_removal(hidden, name); !finished) return finished;
    }
    // A create that died half way left its hidden build directory.
    if (Result<void> cleared = remove_build_leftovers(name); !cleared) return cleared;
    // The process a record names was ended with the directory, or with a
    // directory deleted by hand before it.
    for (const std::string &record : {std::string(name), std::string(name) + ".log"}) {
        const std::filesystem::path file = instance_record_dir(options_.scan_dir) / record;
        if (auto instance = read_instance_record(file))
            end_recorded_instance(*instance, ::getpid(), 0, SIGTERM, kStopGrace);
        if (::unlink(file.c_str()) != 0 && errno != ENOENT)
            return file_error("cannot remove", file, errno);
    }
    {
        std::lock_guard<std::mutex> lock(mutex_);
        deaths_.erase(std::string(name));
    }
    if (delete_logs) return remove_tree(log_dir(name));
    return {};
}

Result<void> S6Client::remove_build_leftovers(std::string_view name) const {
    auto names = listing_.names();
    if (!names) return names.error();
    std::vector<std::filesystem::path> leftovers;
    for (const std::string_view entry : starting_with(*names.value(), "." + std::string(name)))
        if (build_dir_service(entry) == name) leftovers.push_back(options_.scan_dir / entry);
    for (const auto &leftover : leftovers)
        if (Result<void> removed = remove_tree(leftover); !removed) return removed;
    return {};
}

// Takes down a service moved out of the scan dir: has its supervisors exit,
// stops its process group (down-signal, then SIGKILL for what is left), and
// deletes the directory. Also finishes a removal a crash cut short, wherever
// it stopped.
Result<void> S6Client::finish_removal(const std::filesystem::path &hidden, std::string_view name) {
    if (!made_by_warden(hidden)) return not_ours(hidden.string());
    const std::optional<ProcessIdentity> process = running_process(hidden);
    const int down_signal =
        static_cast<int>(read_number_file(hidden / "down-signal").value_or(SIGTERM));
    // s6-svscan tells the supervisors of vanished services to take them
    // down and exit. Without s6-svscan, tell them directly.
    if (!rescan(options_.scan_dir, /*prune=*/true)) {
        (void)send_control(hidden / "supervise" / "control", "xd", name);
        (void)send_control(hidden / "log" / "supervise" / "control", "xd", name);
    }
    if (process) signal_process_group(*process, down_signal);
    const auto wait = stop_wait(hidden);
    for (const std::filesystem::path &supervise :
         {hidden / "supervise", hidden / "log" / "supervise"}) {
        const std::optional<pid_t> supervisor = lock_holder(supervise / "lock");
        if (!supervisor) continue;
        if (!wait_for_exit(*supervisor, wait)) {
            // It would not exit: stop supervising and clean up by hand.
            ::kill(*supervisor, SIGKILL);
            wait_for_exit(*supervisor, kStopGrace);
        }
    }
    if (process) signal_process_group(*process, SIGKILL);
    if (Result<void> removed = remove_tree(hidden); !removed)
        return fail("service ", std::string(name), ": ", removed.error().message);
    return {};
}

Result<std::vector<std::string>> S6Client::sweep_leftovers() {
    DIR *dir = ::opendir(options_.scan_dir.c_str());
    if (dir == nullptr) return file_error("cannot list scan dir", options_.scan_dir, errno);
    std::vector<std::string> removals, builds;
    static constexpr std::string_view kRemoving = ".removing-";
    while (const dirent *entry = ::readdir(dir)) {
        const std::string_view name = entry->d_name;
        if (name.compare(0, kRemoving.size(), kRemoving) == 0) {
            if (valid_service_name(name.substr(kRemoving.size())) &&
                made_by_warden(options_.scan_dir / name))
                removals.emplace_back(name.substr(kRemoving.size()));
        } else if (const std::string_view built = build_dir_service(name); !built.empty()) {
            builds.emplace_back(built);
        }
    }
    ::closedir(dir);
    std::vector<std::string> swept;
    for (const std::string &name : removals) {
        if (Result<void> finished = finish_removal(removal_dir_for(options_.scan_dir, name), name);
            !finished)
            return finished.error();
        swept.push_back(name);
    }
    for (const std::string &name : builds) {
        if (Result<void> cleared = remove_build_leftovers(name); !cleared) return cleared.error();
        swept.push_back(name);
    }
    std::sort(swept.begin(), swept.end());
    swept.erase(std::unique(swept.begin(), swept.end()), swept.end());
    return swept;
}

Result<std::vector<std::string>> S6Client::list(std::string_view prefix) const {
    return list_where(prefix, true);
}

Result<std::vector<std::string>> S6Client::list_foreign(std::string_view prefix) const {
    return list_where(prefix, false);
}

Result<std::vector<std::string>> S6Client::list_directories(std::string_view prefix) const {
    auto listed = listing_.names();
    if (!listed) return listed.error();
    std::vector<std::string> names;
    for (const std::string_view name : starting_with(*listed.value(), prefix))
        if (valid_service_name(name)) names.emplace_back(name);
    return names;
}

Result<std::vector<std::string>> S6Client::list_where(std::string_view prefix, bool ours) const {
    auto listed = listing_.names();
    if (!listed) return listed.error();
    std::vector<std::string> names;
    for (const std::string_view name : starting_with(*listed.value(), prefix)) {
        if (!valid_service_name(name)) continue;
        const std::filesystem::path dir = options_.scan_dir / name;
        struct stat st {};
        if (::lstat(dir.c_str(), &st) == 0 && S_ISDIR(st.st_mode) && made_by_warden(dir) == ours)
            names.emplace_back(name);
    }
    return names;
}

}  // namespace warden::host
