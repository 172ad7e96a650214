// SPDX-License-Identifier: Apache-2.0
// host/plugin_services/system_accounts.hpp — the machine's users and groups,
// and who the host is, for the SDK's rule of who a service runs as
// (rules::settle_service_account) [WP-SVC-3].
//
// The rule is pure and the same on the fake host; looking names up is the
// host's: SystemAccounts asks the machine's account database through
// getpwnam_r and getgrnam_r (NSS: /etc/passwd and /etc/group, or whatever
// the machine is set up to use), and this_host_account says which uid and
// gid the host runs with, and their names.
//
// Header-only: a few calls each, used by the service gate and by the config
// check of `service_user`.
// THREADING: every function is thread-safe (the _r lookups).
#pragma once

#include <warden/host_rules.hpp>

#include <grp.h>
#include <pwd.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace warden::host {

namespace accounts_detail {

// The buffer getpw*_r and getgr*_r need, grown while they say ERANGE, up
// to 1 MiB (a group with very many members). The record's strings point
// into that buffer: `take` reads a found record while it is alive.
template <typename Entry, typename Lookup, typename Take>
rules::AccountEntry look_up(Lookup lookup, Take take) {
    rules::AccountEntry entry;
    Entry record{};
    long hint = ::sysconf(_SC_GETPW_R_SIZE_MAX);
    std::vector<char> buffer(hint > 0 ? static_cast<std::size_t>(hint) : 4096);
    for (;;) {
        Entry *result = nullptr;
        const int error = lookup(&record, buffer.data(), buffer.size(), &result);
        if (error == ERANGE && buffer.size() < (1u << 20)) {
            buffer.resize(buffer.size() * 2);
            continue;
        }
        if (error == 0 && result != nullptr) {
            entry.found = rules::AccountEntry::Found::yes;
            take(record, entry);
        }
        // "Not found" is 0 with no result; some libcs say ENOENT, ESRCH,
        // EBADF or EPERM for it (getpwnam_r(3)).
        if (error != 0 && error != ENOENT && error != ESRCH && error != EBADF && error != EPERM) {
            entry.found = rules::AccountEntry::Found::failed;
            entry.error = std::strerror(error);
        }
        return entry;
    }
}

}  // namespace accounts_detail

/// The machine's account database.
class SystemAccounts : public rules::AccountDirectory {
public:
    rules::AccountEntry user(std::string_view name) const override {
        const std::string key(name);
        return accounts_detail::look_up<passwd>(
            [&](passwd *r, char *buffer, std::size_t size, passwd **result) {
                return ::getpwnam_r(key.c_str(), r, buffer, size, result);
            },
            [](const passwd &record, rules::AccountEntry &entry) {
                entry.id = record.pw_uid;
                entry.primary_gid = record.pw_gid;
            });
    }

    rules::AccountEntry group(std::string_view name) const override {
        const std::string key(name);
        return accounts_detail::look_up<group_record>(
            [&](group_record *r, char *buffer, std::size_t size, group_record **result) {
                return ::getgrnam_r(key.c_str(), r, buffer, size, result);
            },
            [](const group_record &record, rules::AccountEntry &entry) {
                entry.id = record.gr_gid;
            });
    }

private:
    using group_record = struct ::group;
};

/// The machine's account database, for the whole process.
inline const SystemAccounts &system_accounts() {
    static const SystemAccounts accounts;
    return accounts;
}

/// Who this process is (its effective uid and gid, and their names, empty
/// when they have none), with `service_user` as the default for a spec
/// without a user.
inline rules::HostAccount this_host_account(std::string service_user = {}) {
    rules::HostAccount host;
    host.uid = static_cast<uint32_t>(::geteuid());
    host.gid = static_cast<uint32_t>(::getegid());
    host.service_user = std::move(service_user);
    accounts_detail::look_up<passwd>(
        [&](passwd *r, char *buffer, std::size_t size, passwd **result) {
            return ::getpwuid_r(static_cast<uid_t>(host.uid), r, buffer, size, result);
        },
        [&](const passwd &record, rules::AccountEntry &) {
            if (record.pw_name != nullptr) host.user = record.pw_name;
        });
    accounts_detail::look_up<struct ::group>(
        [&](struct ::group *r, char *buffer, std::size_t size, struct ::group **result) {
            return ::getgrgid_r(static_cast<gid_t>(host.gid), r, buffer, size, result);
        },
        [&](const struct ::group &record, rules::AccountEntry &) {
            if (record.gr_name != nullptr) host.group = record.gr_name;
        });
    return host;
}

}  // namespace warden::host
