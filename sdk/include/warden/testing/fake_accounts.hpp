// SPDX-License-Identifier: Apache-2.0
// warden/testing/fake_accounts.hpp — who the fake host is, and the users and
// groups it knows (ABI 1.4's service accounts) [WP-SVC-3].
//
// The host settles who a service runs as against the machine's account
// database and its own uid; the fake plays both, so a plugin's tests do not
// depend on the machine they run on or on running as root:
//
//   FakeAccounts  an account database holding the users root (0, group 0)
//                 and nobody (65534, group 65534) and the groups root (0)
//                 and nogroup (65534), and whatever a test adds
//   host account  who the fake host is: root (uid 0, gid 0) with no default
//                 service user, unless the test says otherwise
//                 (FakeHost::set_host_account)
//
// The rules and their words are the host's (rules::settle_service_account):
// service_create and the service_account slot settle every spec's user and
// group through them.
//
// THREADING: every method is thread-safe.
#ifndef WARDEN_TESTING_FAKE_ACCOUNTS_HPP
#define WARDEN_TESTING_FAKE_ACCOUNTS_HPP

#include <warden/plugin.h>
#include <warden/host_rules.hpp>

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>

namespace warden::testing {

/// An account database in memory.
class FakeAccounts : public rules::AccountDirectory {
public:
    FakeAccounts() {
        add_user("root", 0, 0);
        add_user("nobody", 65534, 65534);
        add_group("root", 0);
        add_group("nogroup", 65534);
    }

    /// A user with its uid and primary group, replacing one of the same name.
    void add_user(std::string name, uint32_t uid, uint32_t gid) {
        std::lock_guard<std::mutex> lock(mutex_);
        users_[std::move(name)] = {uid, gid};
    }
    /// A group with its gid, replacing one of the same name.
    void add_group(std::string name, uint32_t gid) {
        std::lock_guard<std::mutex> lock(mutex_);
        groups_[std::move(name)] = gid;
    }
    /// Lookups of `name` fail, as when the account database cannot be read.
    void fail_lookups_of(std::string name) {
        std::lock_guard<std::mutex> lock(mutex_);
        failing_[std::move(name)] = true;
    }

    rules::AccountEntry user(std::string_view name) const override {
        std::lock_guard<std::mutex> lock(mutex_);
        rules::AccountEntry entry;
        if (failed(name, entry)) return entry;
        const auto it = users_.find(std::string(name));
        if (it == users_.end()) return entry;
        entry.found = rules::AccountEntry::Found::yes;
        entry.id = it->second.first;
        entry.primary_gid = it->second.second;
        return entry;
    }

    rules::AccountEntry group(std::string_view name) const override {
        std::lock_guard<std::mutex> lock(mutex_);
        rules::AccountEntry entry;
        if (failed(name, entry)) return entry;
        const auto it = groups_.find(std::string(name));
        if (it == groups_.end()) return entry;
        entry.found = rules::AccountEntry::Found::yes;
        entry.id = it->second;
        return entry;
    }

private:
    bool failed(std::string_view name, rules::AccountEntry &entry) const {
        if (failing_.count(std::string(name)) == 0) return false;
        entry.found = rules::AccountEntry::Found::failed;
        entry.error = "Input/output error";
        return true;
    }

    mutable std::mutex mutex_;
    std::map<std::string, std::pair<uint32_t, uint32_t>> users_;  // name -> (uid, gid)
    std::map<std::string, uint32_t> groups_;                      // name -> gid
    std::map<std::string, bool> failing_;
};

/// Who the fake host is, and the accounts it knows.
class FakeServiceAccounts {
public:
    FakeServiceAccounts() {
        host_.user = "root";
        host_.group = "root";
    }

    FakeAccounts &directory() { return directory_; }
    const FakeAccounts &directory() const { return directory_; }

    void set_host(rules::HostAccount host) {
        std::lock_guard<std::mutex> lock(mutex_);
        host_ = std::move(host);
    }
    rules::HostAccount host() const {
        std::lock_guard<std::mutex> lock(mutex_);
        return host_;
    }

    /// Settles the account of a spec naming `user` and `group`, as the host does.
    rules::Refusal settle(std::string_view subject, std::string_view user, std::string_view group,
                          rules::SettledAccount &out) const {
        return rules::settle_service_account(subject, user, group, host(), directory_, out);
    }

private:
    mutable std::mutex mutex_;
    rules::HostAccount host_;
    FakeAccounts directory_;
};

}  // namespace warden::testing

#endif  // WARDEN_TESTING_FAKE_ACCOUNTS_HPP
