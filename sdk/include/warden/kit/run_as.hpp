// SPDX-License-Identifier: Apache-2.0
// warden/kit/run_as.hpp — the user and group a worker's services run as.
//
// Every worker type Warden ships takes two optional keys in its config and
// runs its services as them (ABI 1.4) [WP-SVC-3]:
//
//   user: nobody    # a user of this machine; default: the host's
//                   # service_user, and with none the user the host runs as
//   group: nogroup  # default: the user's primary group
//
// RunAs does for them what a worker would otherwise write four times:
//
//   read()      the two keys, through the ConfigReader: a name by the host's
//               rule (warden/host_rules.hpp), else a ConfigError naming the key
//   write(),    the desired document's "user" and "group", written only when
//   from()      set: a config without them gives the document it always gave
//   apply()     into a service spec
//   check()     for check_config: the account settled as the host will
//               settle it when it creates the service (the names exist on
//               this machine; a host that is not root runs services only as
//               its own user and group), the host's words in a ConfigError
//   settle(),   who the services run as (the host's service_account), and
//   hand_over() a directory the worker made for its service to write (a
//               data directory) given to that account when the host
//               switches to it: made by the host's user (root), it would
//               not be writable by the service otherwise
//
// A host older than ABI 1.4 runs every service as itself: check() refuses
// a user or group there, settle() says "not switched", so hand_over()
// leaves the directory as it is.
//
// THREADING: a plain value; check() and hand_over() call host services,
// from the hooks that may do I/O (check_config, execute_action).
#ifndef WARDEN_KIT_RUN_AS_HPP
#define WARDEN_KIT_RUN_AS_HPP

#include <warden/host.hpp>
#include <warden/host_rules.hpp>
#include <warden/kit/config_reader.hpp>
#include <warden/kit/json_value.hpp>
#include <warden/types.hpp>

#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <optional>
#include <string>

namespace warden::kit {

struct RunAs {
    std::string user;   ///< empty = the host's default service user
    std::string group;  ///< empty = the user's primary group

    bool empty() const noexcept { return user.empty() && group.empty(); }

    /// The optional `user` and `group` keys: strings that are names by the
    /// host's rule. Throws ConfigError "user: 'x y' is not a user name: ...".
    static RunAs read(ConfigReader &config) {
        RunAs run_as;
        run_as.user = name(config, "user", false);
        run_as.group = name(config, "group", true);
        return run_as;
    }

    /// Into a desired document: "user" and "group", each only when set.
    void write(nlohmann::json &desired) const {
        if (!user.empty()) desired["user"] = user;
        if (!group.empty()) desired["group"] = group;
    }

    /// Out of a desired document write() wrote into.
    static RunAs from(const nlohmann::json &desired) {
        return RunAs{value_or(desired, "user", std::string()),
                     value_or(desired, "group", std::string())};
    }

    /// Into a service spec.
    void apply(ServiceSpec &spec) const {
        spec.user = user;
        spec.group = group;
    }

    /// check_config's part: the account the host would run the services as,
    /// settled now. Throws ConfigError with the host's words ("user 'bob'
    /// does not exist on this machine", "running as user 'nobody' needs a
    /// host running as root; ..."), or for a user or group on a host older
    /// than ABI 1.4.
    void check(const Host &host) const {
        if (!host.offers_service_accounts()) {
            if (!empty())
                throw ConfigError(std::string(user.empty() ? "group" : "user") +
                                  ": running services as another user or group needs a host "
                                  "speaking ABI 1.4 or newer");
            return;
        }
        try {
            host.service_account(user, group);
        } catch (const Error &e) {
            throw ConfigError(e.what());
        }
    }

    /// Who the services run as on `host` (its service_account); a host older
    /// than ABI 1.4 runs them as itself (not switched). Throws Error with
    /// the host's status and words when it would refuse the account.
    ServiceAccount settle(const Host &host) const {
        if (!host.offers_service_accounts()) return ServiceAccount{};
        return host.service_account(user, group);
    }

    /// Gives `dir`, a directory the worker made for its service to write, to
    /// `account` (what settle() said) when the host switches to it: chown to
    /// its uid and gid. Otherwise the directory stays the host's own user's,
    /// which is then the service's too. Throws Error naming the directory
    /// when it cannot be given.
    static void hand_over(const std::string &dir, const ServiceAccount &account) {
        if (!account.switched) return;
        // Through a descriptor of the directory itself: never a link's target.
        const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        const bool given = fd >= 0 && ::fchown(fd, account.uid, account.gid) == 0;
        const int error = errno;
        if (fd >= 0) ::close(fd);
        if (!given)
            throw Error(WARDEN_ERR, "cannot give " + dir + " to the service's uid " +
                                        std::to_string(account.uid) + " and gid " +
                                        std::to_string(account.gid) + ": " + std::strerror(error));
    }

private:
    static std::string name(ConfigReader &config, const char *key, bool group) {
        const std::optional<std::string> value = config.string(key);
        if (!value) return {};
        const std::string problem = rules::account_name_problem(*value, group);
        if (!problem.empty()) config.fail(key, problem);
        return *value;
    }
};

}  // namespace warden::kit

#endif  // WARDEN_KIT_RUN_AS_HPP
