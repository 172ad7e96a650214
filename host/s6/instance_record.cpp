// SPDX-License-Identifier: Apache-2.0
// host/s6/instance_record.cpp
#include "s6/instance_record.hpp"

#include "s6/file_ops.hpp"
#include "s6/s6_paths.hpp"

#include <signal.h>

#include <charconv>
#include <vector>

namespace warden::host {
namespace {

constexpr std::string_view kHeader = "warden-instance 1 ";
constexpr std::size_t kMaxRecord = 256;

bool valid_boot_id(std::string_view id) {
    if (id.empty() || id.size() > 64) return false;
    for (const char c : id)
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || c == '-')) return false;
    return true;
}

template <typename T>
bool parse_canonical_number(std::string_view text, T &out) {
    // Digits only, no leading zero: the one way to write each number.
    if (text.empty() || text.size() > 20 || text[0] < '0' || text[0] > '9') return false;
    if (text.size() > 1 && text[0] == '0') return false;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), out);
    return error == std::errc() && end == text.data() + text.size();
}

// The fields of `text` split at single spaces; empty fields are kept so a
// double space fails the field count.
std::vector<std::string_view> fields_of(std::string_view text) {
    std::vector<std::string_view> fields;
    for (;;) {
        const std::size_t space = text.find(' ');
        fields.push_back(text.substr(0, space));
        if (space == std::string_view::npos || fields.size() > 8) return fields;
        text.remove_prefix(space + 1);
    }
}

}  // namespace

std::filesystem::path instance_record_dir(const std::filesystem::path &scan_dir) {
    return warden_state_dir(scan_dir) / "instances";
}

std::string encode_instance_record(const InstanceRecord &r) {
    return std::string(kHeader) + r.boot_id + " " + std::to_string(r.process.pid) + " " +
           std::to_string(r.process.start_ticks) + " " + std::to_string(r.supervisor.pid) + " " +
           std::to_string(r.supervisor.start_ticks) + "\n";
}

std::optional<InstanceRecord> decode_instance_record(std::string_view text) {
    if (text.size() > kMaxRecord || text.compare(0, kHeader.size(), kHeader) != 0 ||
        text.back() != '\n')
        return std::nullopt;
    text.remove_prefix(kHeader.size());
    text.remove_suffix(1);
    const std::vector<std::string_view> fields = fields_of(text);
    if (fields.size() != 5 || !valid_boot_id(fields[0])) return std::nullopt;
    InstanceRecord record;
    record.boot_id = std::string(fields[0]);
    if (!parse_canonical_number(fields[1], record.process.pid) ||
        !parse_canonical_number(fields[2], record.process.start_ticks) ||
        !parse_canonical_number(fields[3], record.supervisor.pid) ||
        !parse_canonical_number(fields[4], record.supervisor.start_ticks) || record.process.pid <= 0 ||
        record.supervisor.pid < 0)
        return std::nullopt;
    return record;
}

std::optional<InstanceRecord> read_instance_record(const std::filesystem::path &file) {
    auto content = read_file_if_exists(file);
    if (!content || !content.value()) return std::nullopt;
    return decode_instance_record(*content.value());
}

Result<void> write_instance_record(const std::filesystem::path &file,
                                   const InstanceRecord &record) {
    return replace_file(file, encode_instance_record(record), 0600);
}

EndedInstance end_recorded_instance(const InstanceRecord &record, pid_t self, pid_t keep_supervisor,
                                    int down_signal,
                                    std::optional<std::chrono::milliseconds> kill_after) {
    EndedInstance outcome;
    if (record.boot_id != boot_id() || record.process.pid == self || !still_running(record.process))
        return outcome;
    // A supervisor that still runs would start the process again: it goes
    // first. Killed, not asked: it supervises a directory that is gone, or
    // one another supervisor has taken over.
    if (record.supervisor.pid > 1 && record.supervisor.pid != keep_supervisor &&
        still_running(record.supervisor)) {
        ::kill(record.supervisor.pid, SIGKILL);
        wait_until_ended(record.supervisor, std::chrono::seconds(2));
        outcome.supervisor_ended = true;
    }
    signal_process_group(record.process, down_signal);
    signal_process_group(record.process, SIGCONT);
    outcome.ended = true;
    if (!kill_after) {
        while (!wait_until_ended(record.process, std::chrono::hours(1))) {
        }
        return outcome;
    }
    if (wait_until_ended(record.process, *kill_after)) return outcome;
    outcome.killed = true;
    signal_process_group(record.process, SIGKILL);
    outcome.still_running = !wait_until_ended(record.process, std::chrono::seconds(5));
    return outcome;
}

}  // namespace warden::host
