// SPDX-License-Identifier: Apache-2.0
// warden/testing/fake_services.hpp — the fake host's service slots
// (service_create, _observe, _control, _remove, _list), service_log_read
// and service_account, on the in-memory s6 (FakeS6) and accounts
// (fake_accounts.hpp).
//
// Each slot applies the host's rules first, in the host's order and words
// (warden/host_rules.hpp): the context offers services at all, the name and
// the caller's scope (FakeServices keeps which workers exist, so the most
// specific worker owns a name: with workers web and web-2, exec-web-2 is
// web-2's), then the spec, command, signal or flags, then who a spec's
// process runs as. Only then does FakeS6 play s6. Every call but
// service_account (a lookup, as on the host) is audited.
//
// THREADING: every slot may be called from any thread; callbacks run on the
// calling thread with no lock held.
#ifndef WARDEN_TESTING_FAKE_SERVICES_HPP
#define WARDEN_TESTING_FAKE_SERVICES_HPP

#include <warden/plugin.h>
#include <warden/host.hpp>
#include <warden/host_rules.hpp>
#include <warden/testing/fake_accounts.hpp>
#include <warden/testing/fake_context.hpp>
#include <warden/testing/fake_s6.hpp>
#include <warden/testing/fake_sinks.hpp>
#include <warden/types.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

namespace warden::testing {

/// The fake s6, the workers whose scopes divide its service names, and who
/// the services run as.
class FakeServices {
public:
    FakeS6 s6;
    rules::ServiceScope scope;
    FakeServiceAccounts accounts;
};

namespace fake_detail {

// Whether `caller` may touch service `name`, as the host decides: a context
// without service operations is refused (unless it is the plugin's, which
// the scope refuses with its name checked first), then the scope.
inline rules::Refusal admit_service(const Context &caller, std::string_view name) {
    if (caller.type.empty() || caller.offers_services)
        return caller.parts->services->scope.admit(caller.caller(), name);
    return rules::no_services();
}

// Answers the call and writes its audit line.
inline warden_status audited(const Context &caller, const char *operation, std::string_view subject,
                             rules::Refusal refusal) {
    caller.parts->audit->record(caller.type, caller.name, operation, subject, refusal.status);
    return answer(std::move(refusal));
}

inline ServiceSpec copy_spec(const warden_service_spec &c) {
    using rules::text_of;
    ServiceSpec spec;
    spec.name = text_of(c.name);
    for (std::size_t i = 0; i < c.argc; ++i) spec.argv.emplace_back(text_of(c.argv[i]));
    for (std::size_t i = 0; i < c.env_count; ++i) spec.env.emplace_back(text_of(c.env[i]));
    spec.working_dir = text_of(c.working_dir);
    for (std::size_t i = 0; i < c.file_count; ++i)
        spec.files.push_back(ServiceFile{std::string(text_of(c.files[i]->path)),
                                         std::string(text_of(c.files[i]->content)),
                                         c.files[i]->mode});
    spec.notification_fd = c.notification_fd;
    spec.down_signal = c.down_signal;
    spec.kill_timeout_ms = c.kill_timeout_ms;
    spec.start_down = (c.flags & WARDEN_SPEC_START_DOWN) != 0;
    spec.log_max_files = c.log_max_files;
    spec.log_max_file_bytes = c.log_max_file_bytes;
    spec.user = rules::spec_user(c);  // within struct_size: a 1.3 spec has none
    spec.group = rules::spec_group(c);
    return spec;
}

inline warden_status service_create(warden_host_ctx *c, const warden_service_spec *spec) {
    const Context &caller = *ctx(c);
    if (spec == nullptr) return audited(caller, "create", "", rules::null_argument("service spec"));
    const std::string_view name = rules::text_of(spec->name);
    rules::Refusal refused = admit_service(caller, name);
    if (!refused) refused = rules::service_spec_problem(*spec);
    rules::SettledAccount account;
    if (!refused)
        refused = caller.parts->services->accounts.settle("service '" + std::string(name) + "'",
                                                          rules::spec_user(*spec),
                                                          rules::spec_group(*spec), account);
    // The fake keeps the spec as the plugin gave it, zeros and all.
    if (!refused)
        caller.parts->services->s6.create(copy_spec(*spec), caller.parts->clock->wall_ns());
    return audited(caller, "create", name, std::move(refused));
}

inline warden_status service_observe(warden_host_ctx *c, warden_str name,
                                     warden_service_status *out) {
    const Context &caller = *ctx(c);
    rules::Refusal refused = admit_service(caller, rules::text_of(name));
    if (!refused && out == nullptr) refused = rules::null_argument("status");
    if (!refused) {
        const ServiceStatus st =
            caller.parts->services->s6.observe(std::string(rules::text_of(name)));
        warden_service_status s = WARDEN_INIT(warden_service_status);
        s.flags = st.flags();
        s.pid = st.pid;
        s.since_ns = st.since_ns;
        s.ready_since_ns = st.ready_since_ns;
        s.last_exit_code = st.last_exit_code;
        s.last_signal = st.last_signal;
        s.restart_count = st.restart_count;
        // Write only what the caller's struct holds [WP-ABI-3].
        const std::size_t n = out->struct_size < sizeof s ? out->struct_size : sizeof s;
        const auto *from = reinterpret_cast<const unsigned char *>(&s);
        auto *to = reinterpret_cast<unsigned char *>(out);
        for (std::size_t i = sizeof(uint32_t); i < n; ++i) to[i] = from[i];
    }
    return audited(caller, "observe", rules::text_of(name), std::move(refused));
}

inline warden_status service_control(warden_host_ctx *c, warden_str name, int32_t command,
                                     int32_t signal_number) {
    const Context &caller = *ctx(c);
    const std::string service(rules::text_of(name));
    rules::Refusal refused = admit_service(caller, service);
    if (!refused) refused = rules::control_problem(command, signal_number);
    if (!refused) {
        const warden_status done = caller.parts->services->s6.control(
            service, command, signal_number, caller.parts->clock->wall_ns());
        // The host's words, without its scan dir: the fake has none.
        if (done == WARDEN_ERR_NOT_FOUND)
            refused = rules::refuse(done, "no service " + service);
        else if (done != WARDEN_OK)
            refused = rules::refuse(done, "nobody supervises service " + service);
    }
    return audited(caller, "control", service, std::move(refused));
}

inline warden_status service_remove(warden_host_ctx *c, warden_str name, uint32_t flags) {
    const Context &caller = *ctx(c);
    const std::string service(rules::text_of(name));
    rules::Refusal refused = admit_service(caller, service);
    if (!refused) refused = rules::remove_flags_problem(flags);
    if (!refused) caller.parts->services->s6.remove(service, (flags & WARDEN_REMOVE_LOGS) != 0);
    return audited(caller, "remove", service, std::move(refused));
}

// Lists only what the caller owns, as the host does.
inline warden_status service_list(warden_host_ctx *c, warden_str prefix, warden_receive_fn on_name,
                                  void *user) {
    const Context &caller = *ctx(c);
    rules::Refusal refused = admit_service(caller, rules::text_of(prefix));
    if (!refused && on_name == nullptr) refused = rules::null_argument("callback");
    if (!refused)
        for (const std::string &name : caller.parts->services->s6.list(rules::text_of(prefix)))
            if (!admit_service(caller, name)) on_name(user, str(name));
    return audited(caller, "list", rules::text_of(prefix), std::move(refused));
}

inline warden_status service_log_read(warden_host_ctx *c, warden_str name, uint32_t max_lines,
                                      warden_receive_fn on_line, void *user) {
    const Context &caller = *ctx(c);
    const std::string service(rules::text_of(name));
    rules::Refusal refused = admit_service(caller, service);
    if (!refused && on_line == nullptr) refused = rules::null_argument("callback");
    if (!refused)
        for (const std::string &line : caller.parts->services->s6.log_tail(
                 service, rules::log_lines(max_lines), WARDEN_MAX_LOG_READ_BYTES))
            on_line(user, str(line));
    return audited(caller, "log_read", service, std::move(refused));
}

// Any context may ask, as on the host; nothing is audited.
inline warden_status service_account(warden_host_ctx *c, warden_str user, warden_str group,
                                     warden_service_account *out) {
    const Context &caller = *ctx(c);
    if (out == nullptr) return answer(rules::null_argument("account"));
    rules::SettledAccount account;
    rules::Refusal refused = caller.parts->services->accounts.settle(
        {}, rules::text_of(user), rules::text_of(group), account);
    if (!refused) rules::write_service_account(account, out);
    return answer(std::move(refused));
}

}  // namespace fake_detail
}  // namespace warden::testing

#endif  // WARDEN_TESTING_FAKE_SERVICES_HPP
