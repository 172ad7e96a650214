// SPDX-License-Identifier: Apache-2.0
// tests/unit/host_rules_conformance_test.cpp — the host's services table and
// the SDK's fake host apply one set of rules: the same calls, refusals
// included, get the same status, the same last_service_error text and the
// same data from both.
//
// The host's side is its real table (host/plugin_services) with a real
// S6Client on a scan dir in a temporary directory; the test reads that scan
// dir's control FIFO itself, standing in for s6-svscan, so a service can be
// created without a process. Its port registry is kept in memory, and the
// users and groups it settles service accounts against are the fake host's
// table (FakeAccounts), as is who the host is: both sides play the same
// machine and the same host, root or not, whoever runs the test. The
// fake's side is a FakeHost. Each step runs once on each side, in the same order,
// and the two outcomes must be equal; the steps that matter most also check
// the outcome itself, so that both sides cannot agree on a wrong answer.
#include "metrics/plugin_figures.hpp"
#include "net/port_registry.hpp"
#include "plugin_services/handles.hpp"
#include "plugin_services/host_services.hpp"
#include "plugin_services/json_document.hpp"
#include "plugin_services/service_gate.hpp"
#include "s6/s6_client.hpp"

#include "log_capture.hpp"
#include "sample_type.hpp"
#include "temp_dir.hpp"

#include <warden/host_rules.hpp>
#include <warden/testing/fake_host.hpp>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace warden::host {
namespace {

using warden::test::LogCapture;
using warden::test::TempDir;
namespace fake = warden::testing::fake_detail;

// What one call gave: its status, the thread's last_service_error text
// after it (or the text a hook sink kept), and what it handed back.
struct Outcome {
    warden_status status = WARDEN_OK;
    std::string text;
    std::vector<std::string> data;

    bool operator==(const Outcome &o) const {
        return status == o.status && text == o.text && data == o.data;
    }
};

std::ostream &operator<<(std::ostream &out, const Outcome &o) {
    out << warden_status_name(o.status) << " \"" << printable(o.text, 400) << "\" [";
    for (const auto &d : o.data) out << " \"" << printable(d, 120) << "\"";
    return out << " ]";
}

warden_str s(const std::string &text) {
    return warden_str{text.data(), text.size()};
}

void push_to(void *user, warden_str data) {
    static_cast<std::vector<std::string> *>(user)->emplace_back(data.ptr, data.len);
}

void append_to(void *user, warden_str data) {
    static_cast<std::string *>(user)->append(data.ptr, data.len);
}

using warden::test::SampleType;

// Who both sides are unless a test says otherwise: root, with no default
// service user, as the fake host is by default.
rules::HostAccount root_host() {
    rules::HostAccount host;
    host.user = "root";
    host.group = "root";
    return host;
}

// One host: its table, its contexts, and what its sinks keep.
class Side {
public:
    virtual ~Side() = default;
    virtual const char *name() const = 0;
    /// The users and groups this side knows (the same on both sides).
    virtual warden::testing::FakeAccounts &accounts() = 0;
    virtual const warden_host_services &table() const = 0;
    /// A worker's context, the worker existing from now on.
    virtual warden_host_ctx *worker(const std::string &type, const std::string &name) = 0;
    /// The plugin's own context, labelled "plugin exec".
    virtual warden_host_ctx *plugin() = 0;
    /// The context derive_desired_state gets.
    virtual warden_host_ctx *derive(const std::string &type, const std::string &name) = 0;
    /// Lines as the service's log holds them.
    virtual void set_log(const std::string &service, const std::vector<std::string> &lines) = 0;
    /// What set_error kept on this thread, taken.
    virtual std::string take_hook_error() = 0;
    /// The message of the last line a plugin logged.
    virtual std::string last_log_message() = 0;
    /// Writes each piece into a fresh JSON sink as `hook` would, then closes
    /// it as the host does when the hook returns.
    virtual Outcome document(const char *hook, const std::vector<warden_str> &pieces) = 0;
    /// Submits each decision into one fresh decision sink for `type`.
    virtual Outcome decide(const warden_worker_type &type,
                           const std::vector<const warden_decision *> &decisions) = 0;
    /// Every series workers published: "<type>/<worker> <name> <kind>
    /// <label name>=<label value> <value> <help>", in the order a scrape
    /// shows them.
    virtual std::vector<std::string> published() const = 0;

    std::string last_error() const {
        std::string text;
        table().last_service_error(nullptr, append_to, &text);
        return text;
    }
    Outcome outcome(warden_status status, std::vector<std::string> data = {}) const {
        return Outcome{status, last_error(), std::move(data)};
    }
};

class HostSide : public Side {
public:
    /// `users` adds to the accounts before the gate, as the host's, is made.
    explicit HostSide(const rules::HostAccount &host = root_host(),
                      const std::function<void(warden::testing::FakeAccounts &)> &users = {})
        : host_(host) {
        if (users) users(accounts_);
        gate_.emplace(client_, &ports_, &figures_, host_, accounts_);
        // Contexts without a gate (the plugin's, a derive's) ask this.
        set_service_accounts(host_, accounts_);
        std::filesystem::create_directories(dir_ / "scan" / ".s6-svscan");
        std::filesystem::create_directories(dir_ / "logs");
        // The control FIFO, read by nobody but this test: s6-svscan's part
        // in a create is to read "an" from it.
        const auto fifo = dir_ / "scan" / ".s6-svscan" / "control";
        EXPECT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
        fifo_fd_ = ::open(fifo.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
        EXPECT_GE(fifo_fd_, 0);
    }
    ~HostSide() override {
        for (const auto &[type, name] : attached_) gate_->detach(type, name);
        if (fifo_fd_ >= 0) ::close(fifo_fd_);
        set_service_accounts(this_host_account());
    }

    const char *name() const override { return "host"; }
    warden::testing::FakeAccounts &accounts() override { return accounts_; }
    /// How many lines the host logged contain `needle`.
    int logged(const std::string &needle) const { return log_.count(needle); }
    /// The service directory's run script, as the S6Client wrote it.
    std::string run_script(const std::string &service) const {
        return warden::test::read_file(client_.service_dir(service) / "run");
    }
    const warden_host_services &table() const override { return *host_services(); }
    warden_host_ctx *worker(const std::string &type, const std::string &name) override {
        gate_->attach(type, name);
        attached_.emplace_back(type, name);
        contexts_.push_back(std::make_unique<warden_host_ctx>(
            warden_host_ctx{type + "/" + name, type, name, &*gate_, &ports_, &figures_}));
        return contexts_.back().get();
    }
    warden_host_ctx *plugin() override {
        contexts_.push_back(
            std::make_unique<warden_host_ctx>(warden_host_ctx{"plugin exec", {}, {}}));
        return contexts_.back().get();
    }
    warden_host_ctx *derive(const std::string &type, const std::string &name) override {
        contexts_.push_back(
            std::make_unique<warden_host_ctx>(warden_host_ctx{type + "/" + name, type, name}));
        return contexts_.back().get();
    }
    void set_log(const std::string &service, const std::vector<std::string> &lines) override {
        std::string text;
        for (const auto &line : lines) text += line + "\n";
        std::filesystem::create_directories(client_.log_dir(service));
        warden::test::write_file(client_.log_dir(service) / "current", text);
    }
    std::string take_hook_error() override { return error_.take(); }
    std::string last_log_message() override {
        const auto lines = log_.lines();
        if (lines.empty()) return {};
        const std::string &line = lines.back();
        const std::size_t start = line.find("] ");
        return start == std::string::npos ? line : line.substr(start + 2);
    }
    Outcome document(const char *hook, const std::vector<warden_str> &pieces) override {
        warden_json_sink sink;
        for (const warden_str &piece : pieces) {
            const warden_status status = table().json_sink_write(&sink, piece);
            if (status != WARDEN_OK) return outcome(status);
        }
        Result<std::string> kept = finish_document(hook, sink.text);
        if (!kept) return Outcome{WARDEN_ERR, kept.error().message, {}};
        return Outcome{WARDEN_OK, {}, {kept.value()}};
    }
    Outcome decide(const warden_worker_type &type,
                   const std::vector<const warden_decision *> &decisions) override {
        warden_decision_sink sink(type);
        Outcome out;
        for (const warden_decision *d : decisions) {
            out.status = table().decision_submit(&sink, d);
            out.data.push_back(last_error());
        }
        out.text = sink.error;
        out.data.push_back(sink.decision.state + "|" + sink.decision.action + "|" +
                           sink.decision.reason + "|" + std::to_string(sink.decision.signal));
        return out;
    }
    std::vector<std::string> published() const override {
        std::vector<std::string> out;
        for (const auto &family : figures_.collect())
            for (const auto &m : family.metric) {
                // Labels: type, worker, then the figure's own.
                const bool counter = family.type == prometheus::MetricType::Counter;
                const std::string name = family.name.substr(std::string("warden_plugin_").size() +
                                                            m.label[0].value.size() + 1);
                out.push_back(
                    m.label[0].value + "/" + m.label[1].value + " " + name + " " +
                    (counter ? "counter " : "gauge ") +
                    (m.label.size() > 2 ? m.label[2].name + "=" + m.label[2].value : "-") + " " +
                    rules::rules_detail::number_text(counter ? m.counter.value : m.gauge.value) +
                    " " + family.help);
            }
        return out;
    }

private:
    // Run scripts that start their program directly: no warden-guard binary
    // is needed, and none runs here anyway.
    static S6Paths without_guard() {
        S6Paths paths;
        paths.guard.clear();
        return paths;
    }

    TempDir dir_{"warden-rules"};
    int fifo_fd_ = -1;
    LogCapture log_;
    HookError error_;
    S6Client client_{S6Options{dir_ / "scan", dir_ / "logs", without_guard()}};
    PortRegistry ports_;
    PluginFigures figures_;
    warden::testing::FakeAccounts accounts_;
    rules::HostAccount host_;
    std::optional<ServiceGate> gate_;
    std::vector<std::pair<std::string, std::string>> attached_;
    std::vector<std::unique_ptr<warden_host_ctx>> contexts_;
};

class FakeSide : public Side {
public:
    explicit FakeSide(const rules::HostAccount &host = root_host()) {
        fake_.set_host_account(host);
    }
    const char *name() const override { return "fake"; }
    warden::testing::FakeAccounts &accounts() override { return fake_.accounts(); }
    const warden_host_services &table() const override { return *fake_.services(); }
    warden_host_ctx *worker(const std::string &type, const std::string &name) override {
        return fake::handle(fake_.make_context(type + "/" + name, type, name));
    }
    warden_host_ctx *plugin() override {
        return fake::handle(fake_.make_context("plugin exec", "", ""));
    }
    warden_host_ctx *derive(const std::string &type, const std::string &name) override {
        return fake::handle(fake_.make_derive_context(type, name));
    }
    void set_log(const std::string &service, const std::vector<std::string> &lines) override {
        fake_.set_log(service, lines);
    }
    std::string take_hook_error() override {
        std::string text;
        text.swap(fake::hook_error());
        return text;
    }
    std::string last_log_message() override {
        const auto lines = fake_.logs();
        return lines.empty() ? std::string() : lines.back().message;
    }
    Outcome document(const char *hook, const std::vector<warden_str> &pieces) override {
        fake::JsonSink sink;
        for (const warden_str &piece : pieces) {
            const warden_status status =
                table().json_sink_write(reinterpret_cast<warden_json_sink *>(&sink), piece);
            if (status != WARDEN_OK) return outcome(status);
        }
        std::string problem = fake::finish_document(hook, sink);
        if (!problem.empty()) return Outcome{WARDEN_ERR, problem, {}};
        return Outcome{WARDEN_OK, {}, {sink.text}};
    }
    Outcome decide(const warden_worker_type &type,
                   const std::vector<const warden_decision *> &decisions) override {
        fake::DecisionSink sink(&type);
        Outcome out;
        for (const warden_decision *d : decisions) {
            out.status =
                table().decision_submit(reinterpret_cast<warden_decision_sink *>(&sink), d);
            out.data.push_back(last_error());
        }
        out.text = sink.error;
        out.data.push_back(sink.state + "|" + sink.action + "|" + sink.reason + "|" +
                           std::to_string(sink.signal));
        return out;
    }
    std::vector<std::string> published() const override {
        std::vector<std::string> out;
        for (const auto &f : fake_.figures())
            out.push_back(f.type + "/" + f.worker + " " + f.name + " " +
                          (f.kind == FigureKind::counter ? "counter " : "gauge ") +
                          (f.label_name.empty() ? "-" : f.label_name + "=" + f.label_value) + " " +
                          rules::rules_detail::number_text(f.value) + " " + f.help);
        return out;
    }

    warden::testing::FakeHost &host() { return fake_; }

private:
    warden::testing::FakeHost fake_;
};

// ---- the calls --------------------------------------------------------------

// A spec for `name` running /bin/sleep; `change` adjusts it before the call.
Outcome create(Side &side, warden_host_ctx *ctx, const std::string &name,
               const std::function<void(warden_service_spec &)> &change = {}) {
    const std::vector<warden_str> argv = {WARDEN_STR("/bin/sleep"), WARDEN_STR("1000")};
    warden_service_spec spec = WARDEN_INIT(warden_service_spec);
    spec.name = s(name);
    spec.argv = argv.data();
    spec.argc = argv.size();
    if (change) change(spec);
    return side.outcome(side.table().service_create(ctx, &spec));
}

Outcome observe(Side &side, warden_host_ctx *ctx, const std::string &name) {
    warden_service_status status = WARDEN_INIT(warden_service_status);
    const warden_status got = side.table().service_observe(ctx, s(name), &status);
    // Only what a missing service looks like is the same on both sides.
    return side.outcome(got, {got == WARDEN_OK ? std::to_string(status.flags) : ""});
}

Outcome list(Side &side, warden_host_ctx *ctx, const std::string &prefix) {
    std::vector<std::string> names;
    const warden_status got = side.table().service_list(ctx, s(prefix), push_to, &names);
    return side.outcome(got, names);
}

Outcome read_log(Side &side, warden_host_ctx *ctx, const std::string &name, uint32_t max_lines) {
    std::vector<std::string> lines;
    const warden_status got =
        side.table().service_log_read(ctx, s(name), max_lines, push_to, &lines);
    // The count and the ends: a thousand lines make unreadable failures.
    std::vector<std::string> summary = {std::to_string(lines.size())};
    if (!lines.empty()) {
        summary.push_back(lines.front());
        summary.push_back(lines.back());
    }
    return side.outcome(got, summary);
}

Outcome reserve(Side &side, warden_host_ctx *ctx, const std::string &purpose, uint32_t requested,
                bool with_out = true) {
    uint32_t port = 0;
    const warden_status got =
        side.table().port_reserve(ctx, s(purpose), requested, with_out ? &port : nullptr);
    // A port the host chooses depends on what else runs on the machine: only
    // a requested one is compared.
    return side.outcome(got, {requested != 0 ? std::to_string(port) : ""});
}

Outcome probe(Side &side, warden_host_ctx *ctx,
              const std::function<void(warden_http_request &)> &change) {
    warden_http_request request = WARDEN_INIT(warden_http_request);
    request.port = 4195;
    request.path = WARDEN_STR("/ready");
    change(request);
    warden_http_response response = WARDEN_INIT(warden_http_response);
    std::string body;
    const warden_status got = side.table().http_probe(ctx, &request, &response, append_to, &body);
    return side.outcome(got, {std::to_string(response.status_code), body});
}

Outcome run(Side &side, warden_host_ctx *ctx, const std::function<void(warden_command &)> &change) {
    const std::vector<warden_str> argv = {WARDEN_STR("/bin/true")};
    warden_command command = WARDEN_INIT(warden_command);
    command.argv = argv.data();
    command.argc = argv.size();
    change(command);
    warden_command_result result = WARDEN_INIT(warden_command_result);
    std::string output;
    return side.outcome(
        side.table().command_run(ctx, &command, nullptr, &result, append_to, &output));
}

// service_account: the status, the text, and what it wrote (flags, uid, gid).
Outcome account(Side &side, warden_host_ctx *ctx, const std::string &user,
                const std::string &group) {
    warden_service_account out = WARDEN_INIT(warden_service_account);
    out.uid = out.gid = 4242;  // what nobody settles: left as it was on a refusal
    const warden_status got = side.table().service_account(ctx, s(user), s(group), &out);
    return side.outcome(
        got, {std::to_string(out.flags), std::to_string(out.uid), std::to_string(out.gid)});
}

// A spec for `name` running as `user` and `group`.
Outcome create_as(Side &side, warden_host_ctx *ctx, const std::string &name,
                  const std::string &user, const std::string &group = {}) {
    return create(side, ctx, name, [&](warden_service_spec &c) {
        c.user = s(user);
        c.group = s(group);
    });
}

// figure_publish: a figure `change` adjusts, as a plugin hands it over.
Outcome publish(Side &side, warden_host_ctx *ctx, const std::string &name, double value,
                const std::function<void(warden_figure &)> &change = {}) {
    const bool counter = name.size() > 6 && name.compare(name.size() - 6, 6, "_total") == 0;
    warden_figure figure = WARDEN_INIT(warden_figure);
    figure.kind = counter ? WARDEN_FIGURE_COUNTER : WARDEN_FIGURE_GAUGE;
    figure.name = s(name);
    figure.help = WARDEN_STR("Messages the pipeline handled.");
    figure.value = value;
    if (change) change(figure);
    return side.outcome(side.table().figure_publish(ctx, &figure));
}

// ---- the test -----------------------------------------------------------------

class HostRules : public ::testing::Test {
protected:
    // Runs `step` on the host's side, then on the fake's, and requires the
    // same outcome; returns it.
    Outcome same(const std::string &what, const std::function<Outcome(Side &)> &step) {
        const Outcome on_host = step(host_);
        const Outcome on_fake = step(fake_);
        EXPECT_EQ(on_host, on_fake) << what;
        return on_host;
    }

    // The workers exec/web and exec/web-2, and the contexts of each side.
    struct Contexts {
        warden_host_ctx *web, *web2, *plugin, *derive;
    };
    Contexts &of(Side &side) { return &side == &host_ ? host_ctx_ : fake_ctx_; }

    void SetUp() override {
        for (Side *side : {static_cast<Side *>(&host_), static_cast<Side *>(&fake_)})
            of(*side) = Contexts{side->worker("exec", "web"), side->worker("exec", "web-2"),
                                 side->plugin(), side->derive("exec", "web")};
    }

    HostSide host_;
    FakeSide fake_;
    Contexts host_ctx_{}, fake_ctx_{};
};

TEST_F(HostRules, give_each_service_name_to_its_most_specific_worker) {
    const auto as_web = [&](const std::string &name) {
        return [&, name](Side &side) { return create(side, of(side).web, name); };
    };
    EXPECT_EQ(same("web creates exec-web", as_web("exec-web")).status, WARDEN_OK);
    EXPECT_EQ(same("web creates exec-web-db", as_web("exec-web-db")).status, WARDEN_OK);
    EXPECT_EQ(same("web-2 creates exec-web-2",
                   [&](Side &side) { return create(side, of(side).web2, "exec-web-2"); })
                  .status,
              WARDEN_OK);
    const Outcome taken = same("web creates exec-web-2", as_web("exec-web-2"));
    EXPECT_EQ(taken.status, WARDEN_ERR_NOT_PERMITTED);
    EXPECT_EQ(taken.text, "service 'exec-web-2' belongs to worker exec/web-2, not to exec/web");
    same("web creates exec-web-2-db", as_web("exec-web-2-db"));
    const Outcome outside = same("web observes exec-webby", [&](Side &side) {
        return observe(side, of(side).web, "exec-webby");
    });
    EXPECT_EQ(outside.text,
              "service 'exec-webby' is outside the scope of exec/web (exec-web, "
              "exec-web-*)");
    same("web observes benthos-web",
         [&](Side &side) { return observe(side, of(side).web, "benthos-web"); });
    same("web removes exec-web-2", [&](Side &side) {
        return side.outcome(
            side.table().service_remove(of(side).web, s(std::string("exec-web-2")), 0));
    });
    same("web reads exec-web-2's log",
         [&](Side &side) { return read_log(side, of(side).web, "exec-web-2", 0); });

    const Outcome own = same("web lists its services",
                             [&](Side &side) { return list(side, of(side).web, "exec-web"); });
    EXPECT_EQ(own.data, (std::vector<std::string>{"exec-web", "exec-web-db"}));
    same("web-2 lists its services",
         [&](Side &side) { return list(side, of(side).web2, "exec-web"); });
    same("web lists a prefix outside its scope",
         [&](Side &side) { return list(side, of(side).web, "exec"); });
    same("the same spec again", [&](Side &side) { return create(side, of(side).web, "exec-web"); });
}

TEST_F(HostRules, refuse_bad_names_the_plugins_context_and_a_derive_context) {
    const std::string too_long = "exec-web-" + std::string(WARDEN_MAX_SERVICE_NAME_BYTES - 8, 'a');
    for (const std::string &bad : {std::string(), std::string("Exec-web"),
                                   std::string("exec-web/../x"), std::string(".exec-web"),
                                   std::string("exec-web x"), std::string("-exec-web"), too_long}) {
        const Outcome o = same("observe '" + bad + "'",
                               [&](Side &side) { return observe(side, of(side).web, bad); });
        EXPECT_EQ(o.status, WARDEN_ERR_INVALID_ARGUMENT) << bad;
    }
    const Outcome plugin = same("the plugin observes exec-web", [&](Side &side) {
        return observe(side, of(side).plugin, "exec-web");
    });
    EXPECT_EQ(plugin.status, WARDEN_ERR_NOT_PERMITTED);
    EXPECT_EQ(plugin.text,
              "service 'exec-web': plugin exec is a plugin, not a worker; only workers own "
              "services");
    same("the plugin creates exec-web",
         [&](Side &side) { return create(side, of(side).plugin, "exec-web"); });
    same("the plugin lists Exec", [&](Side &side) { return list(side, of(side).plugin, "Exec"); });
    const Outcome derive = same("derive observes exec-web", [&](Side &side) {
        return observe(side, of(side).derive, "exec-web");
    });
    EXPECT_EQ(derive.status, WARDEN_ERR_UNSUPPORTED);
    same("derive reserves a port",
         [&](Side &side) { return reserve(side, of(side).derive, "http", 4195); });
    same("derive probes", [&](Side &side) { return probe(side, of(side).derive, [](auto &) {}); });
    same("NULL spec", [&](Side &side) {
        return side.outcome(side.table().service_create(of(side).web, nullptr));
    });
    same("NULL spec from derive", [&](Side &side) {
        return side.outcome(side.table().service_create(of(side).derive, nullptr));
    });
    same("NULL status", [&](Side &side) {
        return side.outcome(
            side.table().service_observe(of(side).web, s(std::string("exec-web")), nullptr));
    });
    same("NULL list callback", [&](Side &side) {
        return side.outcome(
            side.table().service_list(of(side).web, s(std::string("exec-web")), nullptr, nullptr));
    });
    same("NULL log callback", [&](Side &side) {
        return side.outcome(side.table().service_log_read(of(side).web, s(std::string("exec-web")),
                                                          0, nullptr, nullptr));
    });
    same("a missing service",
         [&](Side &side) { return observe(side, of(side).web, "exec-web-none"); });
    same("removing a missing service", [&](Side &side) {
        return side.outcome(side.table().service_remove(
            of(side).web, s(std::string("exec-web-none")), WARDEN_REMOVE_LOGS));
    });
}

TEST_F(HostRules, refuse_a_spec_field_by_field_in_the_hosts_words) {
    const std::vector<warden_str> relative = {WARDEN_STR("sleep")};
    const std::string nul("/bin/sl\0eep", 11);
    const std::vector<warden_str> with_nul = {s(nul)};
    const std::vector<warden_str> env = {WARDEN_STR("GOOD=1"), WARDEN_STR("1BAD=x")};
    warden_service_file up = WARDEN_INIT(warden_service_file);
    up.path = WARDEN_STR("../x");
    warden_service_file wide = WARDEN_INIT(warden_service_file);
    wide.path = WARDEN_STR("conf/x.yaml");
    wide.mode = 01000;
    warden_service_file old = WARDEN_INIT(warden_service_file);
    old.struct_size = 4;
    const warden_service_file *up_files[] = {&up};
    const warden_service_file *wide_files[] = {&wide};
    const warden_service_file *null_files[] = {nullptr};
    const warden_service_file *old_files[] = {&old};

    using Change = std::function<void(warden_service_spec &)>;
    const std::vector<std::pair<std::string, Change>> cases = {
        {"a flag of a later ABI", [](auto &c) { c.flags = 0x80; }},
        {"an ABI 0 struct", [](auto &c) { c.struct_size = 8; }},
        {"argv NULL", [](auto &c) { c.argv = nullptr; }},
        {"a NULL file entry", [&](auto &c) { c.files = null_files, c.file_count = 1; }},
        {"a file entry too small", [&](auto &c) { c.files = old_files, c.file_count = 1; }},
        {"no argv", [](auto &c) { c.argc = 0; }},
        {"a relative program", [&](auto &c) { c.argv = relative.data(), c.argc = 1; }},
        {"a NUL in argv", [&](auto &c) { c.argv = with_nul.data(), c.argc = 1; }},
        {"a bad environment entry", [&](auto &c) { c.env = env.data(), c.env_count = 2; }},
        {"a relative working dir", [](auto &c) { c.working_dir = WARDEN_STR("tmp"); }},
        {"a file outside data/", [&](auto &c) { c.files = up_files, c.file_count = 1; }},
        {"a mode past the permission bits",
         [&](auto &c) { c.files = wide_files, c.file_count = 1; }},
        {"notification fd 2", [](auto &c) { c.notification_fd = 2; }},
        {"notification fd 1024", [](auto &c) { c.notification_fd = 1024; }},
        {"down signal 99", [](auto &c) { c.down_signal = 99; }},
        {"too many log files", [](auto &c) { c.log_max_files = WARDEN_MAX_LOG_FILES + 1; }},
        {"log files too small", [](auto &c) { c.log_max_file_bytes = 100; }},
    };
    for (const auto &[what, change] : cases) {
        const Outcome o = same(what, [&, change = change](Side &side) {
            return create(side, of(side).web, "exec-web-bad", change);
        });
        EXPECT_NE(o.status, WARDEN_OK) << what;
    }
    const Outcome flags = same("a flag again", [&](Side &side) {
        return create(side, of(side).web, "exec-web-bad", [](auto &c) { c.flags = 0x80; });
    });
    EXPECT_EQ(flags.status, WARDEN_ERR_UNSUPPORTED);
    EXPECT_EQ(flags.text, "service spec: unknown flags 128");
    EXPECT_FALSE(fake_.host().has_service("exec-web-bad"));
}

TEST_F(HostRules, refuse_commands_signals_and_flags_they_do_not_know) {
    same("create", [&](Side &side) { return create(side, of(side).web, "exec-web"); });
    for (const int32_t command : {0, 7, 42, -1}) {
        const Outcome o = same("command " + std::to_string(command), [&](Side &side) {
            return side.outcome(
                side.table().service_control(of(side).web, s(std::string("exec-web")), command, 0));
        });
        EXPECT_EQ(o.status, WARDEN_ERR_UNSUPPORTED);
    }
    for (const int32_t signal_number : {0, 11, 31, 99}) {
        const Outcome o = same("signal " + std::to_string(signal_number), [&](Side &side) {
            return side.outcome(side.table().service_control(
                of(side).web, s(std::string("exec-web")), WARDEN_CONTROL_SIGNAL, signal_number));
        });
        EXPECT_EQ(o.status, WARDEN_ERR_UNSUPPORTED);
    }
    const Outcome flags = same("remove flags", [&](Side &side) {
        return side.outcome(
            side.table().service_remove(of(side).web, s(std::string("exec-web")), 0x80));
    });
    EXPECT_EQ(flags.text, "unknown remove flags 128");
    same("a signal to another's service", [&](Side &side) {
        return side.outcome(side.table().service_control(of(side).web, s(std::string("exec-web-2")),
                                                         WARDEN_CONTROL_SIGNAL, 99));
    });
    // A service that is not there is not found on both sides; the host's
    // text also names its scan dir, which the fake has none of.
    for (Side *side : {static_cast<Side *>(&host_), static_cast<Side *>(&fake_)}) {
        const warden_status missing = side->table().service_control(
            of(*side).web, s(std::string("exec-web-gone")), WARDEN_CONTROL_START, 0);
        EXPECT_EQ(missing, WARDEN_ERR_NOT_FOUND) << warden_status_name(missing);
        EXPECT_EQ(side->last_error().rfind("no service exec-web-gone", 0), 0u)
            << side->last_error();
    }
}

TEST_F(HostRules, read_logs_within_the_line_and_byte_bounds) {
    std::vector<std::string> lines;
    for (int i = 0; i < 1500; ++i) lines.push_back("line " + std::to_string(i));
    std::vector<std::string> wide(300, std::string(1000, 'w'));
    for (std::size_t i = 0; i < wide.size(); ++i) wide[i].replace(0, 4, std::to_string(1000 + i));
    for (Side *side : {static_cast<Side *>(&host_), static_cast<Side *>(&fake_)}) {
        side->set_log("exec-web", lines);
        side->set_log("exec-web-db", wide);
    }
    for (const uint32_t max_lines : {0u, 3u, 1000u, 5000u}) {
        const Outcome o = same("max_lines " + std::to_string(max_lines), [&](Side &side) {
            return read_log(side, of(side).web, "exec-web", max_lines);
        });
        EXPECT_EQ(o.data.at(0), std::to_string(rules::log_lines(max_lines)));
    }
    const Outcome bytes = same("a log wider than the byte bound", [&](Side &side) {
        return read_log(side, of(side).web, "exec-web-db", WARDEN_MAX_LOG_LINES);
    });
    EXPECT_EQ(bytes.data.at(0), std::to_string(WARDEN_MAX_LOG_READ_BYTES / 1001));
    same("a service that logged nothing",
         [&](Side &side) { return read_log(side, of(side).web, "exec-web-none", 10); });
}

// A port bound on 127.0.0.1 with nobody listening: connections are refused.
class RefusingPort {
public:
    RefusingPort() : fd_(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) {
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t size = sizeof address;
        EXPECT_EQ(::bind(fd_, reinterpret_cast<sockaddr *>(&address), sizeof address), 0);
        ::getsockname(fd_, reinterpret_cast<sockaddr *>(&address), &size);
        port_ = ntohs(address.sin_port);
    }
    ~RefusingPort() { ::close(fd_); }
    uint32_t port() const { return port_; }

private:
    int fd_;
    uint32_t port_ = 0;
};

TEST_F(HostRules, reserve_ports_and_name_both_workers_in_a_conflict) {
    const Outcome mine = same(
        "web reserves 4195", [&](Side &side) { return reserve(side, of(side).web, "http", 4195); });
    EXPECT_EQ(mine.data, (std::vector<std::string>{"4195"}));
    same("web asks again", [&](Side &side) { return reserve(side, of(side).web, "http", 4195); });
    const Outcome theirs = same("web-2 asks for 4195", [&](Side &side) {
        return reserve(side, of(side).web2, "http", 4195);
    });
    EXPECT_EQ(theirs.status, WARDEN_ERR_CONFLICT);
    EXPECT_EQ(theirs.text,
              "port 4195 is reserved by worker exec/web for http; give exec/web-2 another port");
    same("web asks for 4195 for another use",
         [&](Side &side) { return reserve(side, of(side).web, "admin", 4195); });
    same("web moves http to 4196",
         [&](Side &side) { return reserve(side, of(side).web, "http", 4196); });
    same("web-2 takes the freed 4195",
         [&](Side &side) { return reserve(side, of(side).web2, "http", 4195); });
    for (const std::string &purpose :
         std::vector<std::string>{"", "Http", "1st", "http-admin", std::string(33, 'a')})
        same("purpose '" + purpose + "'",
             [&](Side &side) { return reserve(side, of(side).web, purpose, 0); });
    same("port 70000", [&](Side &side) { return reserve(side, of(side).web, "http", 70000); });
    same("NULL out_port",
         [&](Side &side) { return reserve(side, of(side).web, "http", 4195, false); });
    same("the plugin", [&](Side &side) { return reserve(side, of(side).plugin, "http", 0); });
    EXPECT_EQ(same("the host chooses",
                   [&](Side &side) { return reserve(side, of(side).web, "metrics", 0); })
                  .status,
              WARDEN_OK);
}

TEST_F(HostRules, refuse_probes_the_host_would_not_send) {
    const RefusingPort closed;
    same("web reserves 4195",
         [&](Side &side) { return reserve(side, of(side).web, "http", 4195); });
    same("web reserves a closed port",
         [&](Side &side) { return reserve(side, of(side).web, "down", closed.port()); });
    const std::string long_path = "/" + std::string(WARDEN_MAX_HTTP_PATH_BYTES, 'p');
    const std::string long_type(WARDEN_MAX_HTTP_CONTENT_TYPE_BYTES + 1, 't');
    using Change = std::function<void(warden_http_request &)>;
    const std::vector<std::pair<std::string, Change>> cases = {
        {"DELETE", [](auto &r) { r.method = WARDEN_STR("DELETE"); }},
        {"port 0", [](auto &r) { r.port = 0; }},
        {"port 70000", [](auto &r) { r.port = 70000; }},
        {"a relative path", [](auto &r) { r.path = WARDEN_STR("ready"); }},
        {"an empty path", [](auto &r) { r.path = WARDEN_STR(""); }},
        {"a path with a space", [](auto &r) { r.path = WARDEN_STR("/a b"); }},
        {"a path with a newline", [](auto &r) { r.path = WARDEN_STR("/a\nb"); }},
        {"a path too long", [&](auto &r) { r.path = s(long_path); }},
        {"a content type with a newline",
         [](auto &r) { r.method = WARDEN_STR("POST"), r.content_type = WARDEN_STR("a\nb"); }},
        {"a content type too long",
         [&](auto &r) { r.method = WARDEN_STR("POST"), r.content_type = s(long_type); }},
        {"a GET with a body", [](auto &r) { r.body = WARDEN_STR("{}"); }},
        {"a PUT with a content type with a newline",
         [](auto &r) { r.method = WARDEN_STR("PUT"), r.content_type = WARDEN_STR("a\nb"); }},
        {"an ABI 0 request", [](auto &r) { r.struct_size = 4; }},
        {"a port web does not hold", [](auto &r) { r.port = 4196; }},
    };
    for (const auto &[what, change] : cases) {
        const Outcome o = same(
            what, [&, change = change](Side &side) { return probe(side, of(side).web, change); });
        EXPECT_NE(o.status, WARDEN_OK) << what;
    }
    const Outcome held = same("web-2 probes web's port", [&](Side &side) {
        return probe(side, of(side).web2, [](auto &) {});
    });
    EXPECT_EQ(held.text,
              "http_probe: port 4195 is not reserved by worker exec/web-2; reserve it "
              "with port_reserve first");
    same("the plugin probes",
         [&](Side &side) { return probe(side, of(side).plugin, [](auto &) {}); });
    same("NULL request", [&](Side &side) {
        return side.outcome(
            side.table().http_probe(of(side).web, nullptr, nullptr, nullptr, nullptr));
    });
    const Outcome refused = same("a held port where nothing listens", [&](Side &side) {
        return probe(side, of(side).web, [&](auto &r) {
            r.port = closed.port();
            r.path = WARDEN_STR("/ping");
        });
    });
    EXPECT_EQ(refused.status, WARDEN_ERR_NOT_FOUND);
    EXPECT_EQ(refused.text,
              "http GET 127.0.0.1:" + std::to_string(closed.port()) + "/ping: connection refused");

    // ABI 1.3: a PUT with a body passes the rules on both sides and goes out
    // (to find nobody listening); methods stay case-sensitive.
    const Outcome put = same("a PUT with a body where nothing listens", [&](Side &side) {
        return probe(side, of(side).web, [&](auto &r) {
            r.method = WARDEN_STR("PUT");
            r.port = closed.port();
            r.path = WARDEN_STR("/v1/cluster_config");
            r.content_type = WARDEN_STR("application/json");
            r.body = WARDEN_STR(R"({"upsert":{"log_retention_ms":3600000},"remove":[]})");
        });
    });
    EXPECT_EQ(put.status, WARDEN_ERR_NOT_FOUND);
    EXPECT_EQ(put.text, "http PUT 127.0.0.1:" + std::to_string(closed.port()) +
                            "/v1/cluster_config: connection refused");
    for (const char *method : {"DELETE", "put", "Put", "PATCH"}) {
        const Outcome unknown = same(method, [&](Side &side) {
            return probe(side, of(side).web, [&](auto &r) {
                r.method = warden_str{method, std::strlen(method)};
                r.body = WARDEN_STR("{}");
            });
        });
        EXPECT_EQ(unknown.status, WARDEN_ERR_UNSUPPORTED) << method;
        EXPECT_EQ(unknown.text, "http " + std::string(method) + " 127.0.0.1:4195/ready: method '" +
                                    method + "' is not offered (GET, POST or PUT)");
    }
    const Outcome get = same("a GET with a body", [&](Side &side) {
        return probe(side, of(side).web, [](auto &r) {
            r.method = WARDEN_STR("GET");
            r.body = WARDEN_STR("{}");
        });
    });
    EXPECT_EQ(get.status, WARDEN_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(get.text, "http GET 127.0.0.1:4195/ready: a GET request has no body");
}

TEST_F(HostRules, refuse_commands_the_host_would_not_start) {
    const std::vector<warden_str> relative = {WARDEN_STR("true")};
    const std::string nul("/bin/tr\0ue", 10);
    const std::vector<warden_str> with_nul = {s(nul)};
    warden_service_file up = WARDEN_INIT(warden_service_file);
    up.path = WARDEN_STR("a/../../b");
    warden_service_file wide = WARDEN_INIT(warden_service_file);
    wide.path = WARDEN_STR("config.yaml");
    wide.mode = 04755;
    warden_service_file plain = WARDEN_INIT(warden_service_file);
    plain.path = WARDEN_STR("config.yaml");
    const warden_service_file *up_files[] = {&up};
    const warden_service_file *wide_files[] = {&wide};
    const warden_service_file *twice[] = {&plain, &plain};
    const warden_service_file *null_files[] = {nullptr};
    using Change = std::function<void(warden_command &)>;
    const std::vector<std::pair<std::string, Change>> cases = {
        {"an ABI 1.1 struct", [](auto &c) { c.struct_size = 8; }},
        {"argv NULL", [](auto &c) { c.argv = nullptr; }},
        {"a NULL file entry", [&](auto &c) { c.files = null_files, c.file_count = 1; }},
        {"no argv", [](auto &c) { c.argc = 0; }},
        {"a relative program", [&](auto &c) { c.argv = relative.data(); }},
        {"a NUL in argv", [&](auto &c) { c.argv = with_nul.data(); }},
        {"a file outside its directory", [&](auto &c) { c.files = up_files, c.file_count = 1; }},
        {"a setuid mode", [&](auto &c) { c.files = wide_files, c.file_count = 1; }},
        {"a file twice", [&](auto &c) { c.files = twice, c.file_count = 2; }},
    };
    for (const auto &[what, change] : cases) {
        const Outcome o = same(
            what, [&, change = change](Side &side) { return run(side, of(side).web, change); });
        EXPECT_EQ(o.status, WARDEN_ERR_INVALID_ARGUMENT) << what;
    }
    same("NULL command", [&](Side &side) {
        return side.outcome(
            side.table().command_run(of(side).web, nullptr, nullptr, nullptr, nullptr, nullptr));
    });
}

TEST_F(HostRules, bound_and_escape_texts_alike) {
    const std::string message = "line one\nline two \x01" + std::string(WARDEN_MAX_TEXT_BYTES, 'm');
    const Outcome logged = same("a long log message", [&](Side &side) {
        side.table().log_write(of(side).web, WARDEN_LOG_WARN, s(message));
        return Outcome{WARDEN_OK, side.last_log_message(), {}};
    });
    EXPECT_EQ(logged.text.substr(0, 26), "line one\\x0aline two \\x01m");
    // Two bytes escaped (three more characters each), then "..." for the rest.
    EXPECT_EQ(logged.text.size(), WARDEN_MAX_TEXT_BYTES + 2 * 3 + 3);

    const std::string error(WARDEN_MAX_TEXT_BYTES + 100, 'e');
    const Outcome kept = same("a long error text", [&](Side &side) {
        side.take_hook_error();
        side.table().set_error(of(side).web, s(error));
        return Outcome{WARDEN_OK, side.take_hook_error(), {}};
    });
    EXPECT_EQ(kept.text.size(), WARDEN_MAX_TEXT_BYTES);
}

TEST_F(HostRules, keep_only_json_objects_within_the_bounds) {
    const auto nested = [](unsigned levels) {
        return std::string(levels, '[').replace(0, 1, "{\"a\":") + std::string(levels - 1, ']') +
               "}";
    };
    const std::vector<std::string> documents = {
        "{}",
        " {\"a\": [1, -2.5e3, true, null, \"\\u00e9\\n\"]} ",
        "{\"pair\":\"\\ud83d\\ude00\"}",
        "{\"utf8\":\"caf\xc3\xa9\"}",
        nested(WARDEN_MAX_JSON_DEPTH),
        "",
        "   ",
        "[]",
        "42",
        "\"text\"",
        "{",
        "{\"a\":}",
        "{\"a\":1,}",
        "{'a':1}",
        "{\"a\":01}",
        "{\"a\":\"tab\there\"}",
        "{} {}",
        "{\"bad\":\"\xff\"}",
        "{\"overlong\":\"\xc0\xaf\"}",
        "{\"surrogate\":\"\xed\xa0\x80\"}",
        "{\"lone\":\"\\ud800\"}",
        "{\"low\":\"\\udc00\"}",
        "\xef\xbb\xbf{}",
        nested(WARDEN_MAX_JSON_DEPTH + 1),
        std::string(100000, '['),
    };
    for (const std::string &text : documents) {
        const Outcome o = same("document '" + printable(text, 60) + "'", [&](Side &side) {
            return side.document("collect_observed_state", {s(text)});
        });
        EXPECT_EQ(o.status == WARDEN_OK, rules::is_json_object(text)) << printable(text, 60);
    }
    EXPECT_EQ(same("the deepest document",
                   [&](Side &side) {
                       return side.document("derive_desired_state",
                                            {s(nested(WARDEN_MAX_JSON_DEPTH))});
                   })
                  .status,
              WARDEN_OK);
    const Outcome deep = same("one level too deep", [&](Side &side) {
        return side.document("derive_desired_state", {s(nested(WARDEN_MAX_JSON_DEPTH + 1))});
    });
    EXPECT_EQ(deep.status, WARDEN_ERR);

    const std::string chunk(WARDEN_MAX_JSON_BYTES / 2, ' ');
    const Outcome big = same("a document past its bound", [&](Side &side) {
        return side.document("collect_observed_state", {s(chunk), s(chunk), WARDEN_STR("{}")});
    });
    EXPECT_EQ(big.status, WARDEN_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(big.text, "json_sink_write: the document would pass 4 MiB");
    same("a NULL text", [&](Side &side) {
        return side.document("collect_observed_state", {warden_str{nullptr, 3}});
    });
}

TEST_F(HostRules, check_decisions_and_bound_their_reasons) {
    const SampleType sample("exec");
    const auto decision = [](const char *state, const char *action, std::string_view reason,
                             int32_t signal = WARDEN_SIGNAL_NONE) {
        warden_decision d = WARDEN_INIT(warden_decision);
        d.state = warden_str_from_cstr(state);
        d.action = warden_str_from_cstr(action);
        d.reason = warden_str{reason.data(), reason.size()};
        d.signal = signal;
        return d;
    };
    const std::string reason =
        "process up\n\x1b[31m" + std::string(WARDEN_MAX_REASON_BYTES, 'r') + "\xc3\xa9";
    const warden_decision long_reason = decision("running", "", reason);
    const Outcome kept = same("a long reason with control bytes", [&](Side &side) {
        return side.decide(sample.table, {&long_reason});
    });
    EXPECT_EQ(kept.status, WARDEN_OK);
    EXPECT_EQ(kept.data.back().rfind("running||process up\\x0a\\x1b[31mrrr", 0), 0u);
    EXPECT_EQ(kept.data.back().substr(kept.data.back().size() - 8), "rrr...|0");

    const warden_decision both = decision("running", "start", "");
    const warden_decision flying = decision("flying", "", "");
    const warden_decision explode = decision("", "explode", "");
    const warden_decision signal = decision("", "", "", 7);
    const warden_decision stay = decision("", "", "nothing to do");
    warden_decision small = decision("running", "", "");
    small.struct_size = 8;
    for (const warden_decision *d :
         std::vector<const warden_decision *>{&both, &flying, &explode, &signal, &small})
        EXPECT_EQ(
            same("a refused decision", [&](Side &side) { return side.decide(sample.table, {d}); })
                .status,
            WARDEN_ERR_INVALID_ARGUMENT);
    same("two decisions in one next", [&](Side &side) {
        return side.decide(sample.table, {&stay, &stay});
    });
    same("a refused decision, then a good one", [&](Side &side) {
        return side.decide(sample.table, {&both, &stay});
    });
    same("a NULL decision", [&](Side &side) { return side.decide(sample.table, {nullptr}); });
}

// ---- figures (ABI 1.5) [WP-FIG-1] ------------------------------------------------------

TEST_F(HostRules, publish_figures_by_one_set_of_rules) {
    using Change = std::function<void(warden_figure &)>;
    const auto as_web = [&](const std::string &name, double value, Change change = {}) {
        return [&, name, value, change](Side &side) {
            return publish(side, of(side).web, name, value, change);
        };
    };
    EXPECT_EQ(same("web publishes a counter", as_web("sent_total", 10)).status, WARDEN_OK);
    same("web publishes it again, lower", as_web("sent_total", 4));
    same("web publishes a gauge", as_web("sent_per_second", 0.5));
    same("web publishes a labelled gauge", as_web("lag", 3, [](warden_figure &f) {
             f.label_name = WARDEN_STR("partition");
             f.label_value = WARDEN_STR("0");
         }));
    const Outcome help = same("web-2 publishes sent_total with another help", [&](Side &side) {
        return publish(side, of(side).web2, "sent_total", 1,
                       [](warden_figure &f) { f.help = WARDEN_STR("Messages sent."); });
    });
    EXPECT_EQ(help.status, WARDEN_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(help.text,
              "figure 'sent_total': help 'Messages sent.' differs from 'Messages the pipeline "
              "handled.', its help in worker type exec; a name keeps one kind, one help and one "
              "label name within its worker type");
    same("web-2 publishes lag without its label",
         [&](Side &side) { return publish(side, of(side).web2, "lag", 1); });

    const std::vector<std::pair<std::string, Change>> bad = {
        {"a bad name", [](warden_figure &f) { f.name = WARDEN_STR("Sent"); }},
        {"a kind of a later ABI", [](warden_figure &f) { f.kind = 3; }},
        {"a counter without _total", [](warden_figure &f) { f.kind = WARDEN_FIGURE_COUNTER; }},
        {"no help", [](warden_figure &f) { f.help = WARDEN_STR(""); }},
        {"a help of two lines", [](warden_figure &f) { f.help = WARDEN_STR("a\nb"); }},
        {"a reserved label",
         [](warden_figure &f) {
             f.label_name = WARDEN_STR("type");
             f.label_value = WARDEN_STR("x");
         }},
        {"a label without a value", [](warden_figure &f) { f.label_name = WARDEN_STR("topic"); }},
        {"a value without a label", [](warden_figure &f) { f.label_value = WARDEN_STR("x"); }},
        {"a label value that is not UTF-8",
         [](warden_figure &f) {
             f.label_name = WARDEN_STR("topic");
             f.label_value = WARDEN_STR("\xc3(");
         }},
        {"NaN", [](warden_figure &f) { f.value = std::nan(""); }},
        {"an ABI 1.4 struct", [](warden_figure &f) { f.struct_size = 8; }},
    };
    for (const auto &[what, change] : bad) {
        const Outcome o = same(what, as_web("depth", 1, change));
        EXPECT_NE(o.status, WARDEN_OK) << what;
    }
    EXPECT_EQ(same("a kind of a later ABI", as_web("depth", 1, bad[1].second)).status,
              WARDEN_ERR_UNSUPPORTED);
    same("a negative total", as_web("errors_total", -1));
    same("NULL figure", [&](Side &side) {
        return side.outcome(side.table().figure_publish(of(side).web, nullptr));
    });
    same("NULL context",
         [&](Side &side) { return side.outcome(side.table().figure_publish(nullptr, nullptr)); });
    const Outcome plugin = same("the plugin publishes", [&](Side &side) {
        return publish(side, of(side).plugin, "depth", 1);
    });
    EXPECT_EQ(plugin.status, WARDEN_ERR_NOT_PERMITTED);
    EXPECT_EQ(plugin.text,
              "figure_publish: plugin exec is a plugin, not a worker; only workers publish "
              "figures");
    const Outcome derive = same(
        "derive publishes", [&](Side &side) { return publish(side, of(side).derive, "depth", 1); });
    EXPECT_EQ(derive.status, WARDEN_ERR_UNSUPPORTED);

    // web has three series (sent_total, sent_per_second, lag of partition
    // 0); lag of partitions 1 to 29 makes 32, its limit.
    std::vector<std::string> partitions;
    for (uint32_t i = 0; i < WARDEN_MAX_FIGURES_PER_WORKER; ++i)
        partitions.push_back(std::to_string(i));
    for (uint32_t i = 1; i < WARDEN_MAX_FIGURES_PER_WORKER - 2; ++i)
        same("lag of partition " + partitions[i],
             as_web("lag", i, [&partitions, i](warden_figure &f) {
                 f.label_name = WARDEN_STR("partition");
                 f.label_value = s(partitions[i]);
             }));
    const Outcome full = same("one series past the limit", as_web("depth", 1));
    EXPECT_EQ(full.status, WARDEN_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(full.text,
              "figure 'depth': worker exec/web has 32 series already, the most one worker "
              "publishes (WARDEN_MAX_FIGURES_PER_WORKER); setting one of them still works");
    EXPECT_EQ(same("one it has", as_web("sent_total", 11)).status, WARDEN_OK);

    const std::vector<std::string> on_host = host_.published();
    EXPECT_EQ(on_host, fake_.published());
    ASSERT_EQ(on_host.size(), WARDEN_MAX_FIGURES_PER_WORKER) << "web-2's were all refused";
    EXPECT_EQ(on_host.front(), "exec/web lag gauge partition=0 3 Messages the pipeline handled.");
    EXPECT_EQ(on_host[WARDEN_MAX_FIGURES_PER_WORKER - 2],
              "exec/web sent_per_second gauge - 0.5 Messages the pipeline handled.");
    EXPECT_EQ(on_host.back(), "exec/web sent_total counter - 11 Messages the pipeline handled.");
}

// ---- who services run as (ABI 1.4) [WP-SVC-3] ---------------------------------------

// Both sides made anew as a given host (root or not, with or without a
// service_user), on the same users and groups: root, nobody, nogroup (the
// fake's), and web (1000), _warden (120), www (33).
class ServiceAccounts : public ::testing::Test {
protected:
    void be(const rules::HostAccount &host) {
        const auto users = [](warden::testing::FakeAccounts &accounts) {
            accounts.add_user("web", 1000, 1000);
            accounts.add_user("_warden", 120, 120);
            accounts.add_group("web", 1000);
            accounts.add_group("www", 33);
            accounts.fail_lookups_of("flaky");
        };
        host_.reset();  // one HostSide at a time: it sets the host's accounts
        host_ = std::make_unique<HostSide>(host, users);
        fake_ = std::make_unique<FakeSide>(host);
        users(fake_->accounts());
        for (Side *side : {static_cast<Side *>(host_.get()), static_cast<Side *>(fake_.get())})
            of(*side) =
                Contexts{side->worker("exec", "web"), side->plugin(), side->derive("exec", "web")};
    }

    Outcome same(const std::string &what, const std::function<Outcome(Side &)> &step) {
        const Outcome on_host = step(*host_);
        const Outcome on_fake = step(*fake_);
        EXPECT_EQ(on_host, on_fake) << what;
        return on_host;
    }

    struct Contexts {
        warden_host_ctx *web, *plugin, *derive;
    };
    Contexts &of(Side &side) { return &side == host_.get() ? host_ctx_ : fake_ctx_; }

    static rules::HostAccount web_host() {
        rules::HostAccount host;
        host.uid = host.gid = 1000;
        host.user = host.group = "web";
        return host;
    }

    std::unique_ptr<HostSide> host_;
    std::unique_ptr<FakeSide> fake_;
    Contexts host_ctx_{}, fake_ctx_{};
};

TEST_F(ServiceAccounts, a_root_host_switches_to_the_user_and_group_a_spec_names) {
    be(root_host());
    EXPECT_EQ(same("exec-web as nobody",
                   [&](Side &side) { return create_as(side, of(side).web, "exec-web", "nobody"); })
                  .status,
              WARDEN_OK);
    EXPECT_NE(host_->run_script("exec-web").find("\"/usr/bin/s6-setuidgid\" \"nobody\"\n"),
              std::string::npos)
        << host_->run_script("exec-web");
    same("exec-web-db as nobody:nogroup", [&](Side &side) {
        return create_as(side, of(side).web, "exec-web-db", "nobody", "nogroup");
    });
    EXPECT_NE(host_->run_script("exec-web-db").find("\"/usr/bin/s6-envuidgid\" \"-g\" \"nogroup\""),
              std::string::npos);
    same("exec-web-root as root",
         [&](Side &side) { return create_as(side, of(side).web, "exec-web-root", "root"); });
    EXPECT_EQ(host_->run_script("exec-web-root").find("uidgid"), std::string::npos)
        << "the host's own user needs no switch";

    const Outcome nobody = same(
        "account nobody", [&](Side &side) { return account(side, of(side).web, "nobody", ""); });
    EXPECT_EQ(nobody.status, WARDEN_OK);
    EXPECT_EQ(nobody.data, (std::vector<std::string>{"1", "65534", "65534"}));
    EXPECT_EQ(same("account web:www",
                   [&](Side &side) { return account(side, of(side).web, "web", "www"); })
                  .data,
              (std::vector<std::string>{"1", "1000", "33"}));
    EXPECT_EQ(same("account of the host itself",
                   [&](Side &side) { return account(side, of(side).web, "", ""); })
                  .data,
              (std::vector<std::string>{"0", "0", "0"}));
    EXPECT_EQ(same("a group alone, with the host's own user",
                   [&](Side &side) { return account(side, of(side).plugin, "", "nogroup"); })
                  .data,
              (std::vector<std::string>{"1", "0", "65534"}));
    same("the derive context asks",
         [&](Side &side) { return account(side, of(side).derive, "nobody", "www"); });
    const Outcome small = same("an account struct that ends before uid", [&](Side &side) {
        warden_service_account out = WARDEN_INIT(warden_service_account);
        out.struct_size = offsetof(warden_service_account, uid);
        out.uid = out.gid = 4242;
        const warden_status got =
            side.table().service_account(of(side).web, s(std::string("nobody")), {}, &out);
        return side.outcome(
            got, {std::to_string(out.flags), std::to_string(out.uid), std::to_string(out.gid)});
    });
    EXPECT_EQ(small.data, (std::vector<std::string>{"1", "4242", "4242"}))
        << "a field past struct_size was written";
}

TEST_F(ServiceAccounts, refuse_names_that_break_the_rule_or_this_machine_lacks) {
    be(root_host());
    const Outcome numeric = same(
        "user 1000", [&](Side &side) { return create_as(side, of(side).web, "exec-web", "1000"); });
    EXPECT_EQ(numeric.status, WARDEN_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(numeric.text,
              "service 'exec-web': user '1000' is not a user name: 1 to 32 of the characters A-Z "
              "a-z 0-9 . _ -, not beginning with '-'; a name, not a numeric id");
    for (const std::string &bad :
         {std::string("-x"), std::string("a b"), std::string("ro\not"), std::string(33, 'u'),
          std::string("caf\xc3\xa9"), std::string("a:b"), std::string("a/b")})
        EXPECT_EQ(same("user '" + printable(bad) + "'",
                       [&](Side &side) { return create_as(side, of(side).web, "exec-web", bad); })
                      .status,
                  WARDEN_ERR_INVALID_ARGUMENT)
            << printable(bad);
    const Outcome long_group = same("a group too long", [&](Side &side) {
        return account(side, of(side).plugin, "", std::string(40, 'g') + "\x1b");
    });
    EXPECT_EQ(long_group.text,
              "group '" + std::string(40, 'g') +
                  "\\x1b' is not a group name: 1 to 32 of the characters A-Z a-z 0-9 . _ -, not "
                  "beginning with '-'; a name, not a numeric id");

    const Outcome ghost = same("user ghost", [&](Side &side) {
        return create_as(side, of(side).web, "exec-web", "ghost");
    });
    EXPECT_EQ(ghost.status, WARDEN_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(ghost.text, "service 'exec-web': user 'ghost' does not exist on this machine");
    const Outcome no_group = same("group nosuch", [&](Side &side) {
        return account(side, of(side).web, "nobody", "nosuch");
    });
    EXPECT_EQ(no_group.status, WARDEN_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(no_group.text, "group 'nosuch' does not exist on this machine");
    EXPECT_EQ(no_group.data, (std::vector<std::string>{"0", "4242", "4242"}));
    const Outcome flaky = same("a lookup that fails", [&](Side &side) {
        return create_as(side, of(side).web, "exec-web", "flaky");
    });
    EXPECT_EQ(flaky.status, WARDEN_ERR);
    EXPECT_EQ(flaky.text, "service 'exec-web': cannot look up user 'flaky': Input/output error");
    same("NULL account", [&](Side &side) {
        return side.outcome(side.table().service_account(of(side).web, s(std::string("nobody")),
                                                         s(std::string()), nullptr));
    });
    same("a service never made",
         [&](Side &side) { return observe(side, of(side).web, "exec-web"); });
}

TEST_F(ServiceAccounts, a_host_that_is_not_root_runs_services_only_as_itself) {
    be(web_host());
    const Outcome other = same("exec-web as nobody", [&](Side &side) {
        return create_as(side, of(side).web, "exec-web", "nobody");
    });
    EXPECT_EQ(other.status, WARDEN_ERR_NOT_PERMITTED);
    EXPECT_EQ(other.text,
              "service 'exec-web': running as user 'nobody' needs a host running as root; the "
              "host runs as user 'web'");
    const Outcome group = same("exec-web in group nogroup", [&](Side &side) {
        return create_as(side, of(side).web, "exec-web", "", "nogroup");
    });
    EXPECT_EQ(group.status, WARDEN_ERR_NOT_PERMITTED);
    EXPECT_EQ(group.text,
              "service 'exec-web': running as group 'nogroup' needs a host running as root; the "
              "host runs as user 'web' and group 'web'");
    EXPECT_EQ(
        same("exec-web as web:web",
             [&](Side &side) { return create_as(side, of(side).web, "exec-web", "web", "web"); })
            .status,
        WARDEN_OK);
    EXPECT_EQ(host_->run_script("exec-web").find("uidgid"), std::string::npos)
        << "the host's own user needs no switch";
    EXPECT_EQ(
        same("account web", [&](Side &side) { return account(side, of(side).web, "web", ""); })
            .data,
        (std::vector<std::string>{"0", "1000", "1000"}));
    EXPECT_EQ(same("account nobody from the plugin",
                   [&](Side &side) { return account(side, of(side).plugin, "nobody", ""); })
                  .status,
              WARDEN_ERR_NOT_PERMITTED);
    // An unknown user is said to be unknown, root or not.
    EXPECT_EQ(same("user ghost",
                   [&](Side &side) { return create_as(side, of(side).web, "exec-web", "ghost"); })
                  .text,
              "service 'exec-web': user 'ghost' does not exist on this machine");

    rules::HostAccount nameless = web_host();
    nameless.uid = 4321;
    nameless.user.clear();
    be(nameless);
    EXPECT_EQ(same("nobody on a host whose uid has no name",
                   [&](Side &side) { return account(side, of(side).web, "nobody", ""); })
                  .text,
              "running as user 'nobody' needs a host running as root; the host runs as uid 4321");
}

TEST_F(ServiceAccounts, a_spec_without_a_user_runs_as_the_hosts_service_user) {
    rules::HostAccount host = root_host();
    host.service_user = "_warden";
    be(host);
    same("exec-web with no user",
         [&](Side &side) { return create(side, of(side).web, "exec-web"); });
    EXPECT_NE(host_->run_script("exec-web").find("\"/usr/bin/s6-setuidgid\" \"_warden\"\n"),
              std::string::npos)
        << host_->run_script("exec-web");
    EXPECT_EQ(
        same("the default account", [&](Side &side) { return account(side, of(side).web, "", ""); })
            .data,
        (std::vector<std::string>{"1", "120", "120"}));
    same("a user of its own",
         [&](Side &side) { return account(side, of(side).web, "nobody", ""); });

    host.service_user = "_gone";
    be(host);
    EXPECT_EQ(same("a service_user this machine lacks",
                   [&](Side &side) { return create(side, of(side).web, "exec-web"); })
                  .text,
              "service 'exec-web': user '_gone' (the host's service_user) does not exist on this "
              "machine");

    host = web_host();
    host.service_user = "_warden";
    be(host);
    EXPECT_EQ(host_->logged("warning running as user '_warden' (the host's service_user) needs a "
                            "host running as root; the host runs as user 'web'; every service "
                            "whose worker names no user of its own is refused"),
              1)
        << "the host says so once, when it starts";
    EXPECT_EQ(same("a service_user a host that is not root cannot switch to",
                   [&](Side &side) { return create(side, of(side).web, "exec-web"); })
                  .text,
              "service 'exec-web': running as user '_warden' (the host's service_user) needs a "
              "host running as root; the host runs as user 'web'");
    host.service_user = "web";
    be(host);
    EXPECT_EQ(same("the host's own user as service_user",
                   [&](Side &side) { return create(side, of(side).web, "exec-web"); })
                  .status,
              WARDEN_OK);
}

// ABI 1.4 appended user and group to warden_service_spec: a 1.3 plugin's
// spec ends before them, and neither host may read a byte past its
// struct_size. The spec here ends at a page the process may not read, so
// a read past it would kill the test.
TEST_F(ServiceAccounts, a_1_3_spec_is_read_only_within_its_struct_size) {
    be(root_host());
    const std::size_t page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
    void *pages =
        ::mmap(nullptr, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    ASSERT_NE(pages, MAP_FAILED);
    ASSERT_EQ(::mprotect(static_cast<char *>(pages) + page, page, PROT_NONE), 0);
    constexpr std::size_t kSizeV1_3 = offsetof(warden_service_spec, user);
    static_assert(kSizeV1_3 % alignof(warden_service_spec) == 0);
    static_assert(rules::rules_detail::kSpecSizeV1_4 == sizeof(warden_service_spec));
    auto *spec =
        reinterpret_cast<warden_service_spec *>(static_cast<char *>(pages) + page - kSizeV1_3);
    const std::vector<warden_str> argv = {WARDEN_STR("/bin/sleep"), WARDEN_STR("1000")};
    const std::string name = "exec-web";
    // Field by field: the struct's own copy would touch the guard page.
    std::memset(spec, 0, kSizeV1_3);
    spec->struct_size = static_cast<uint32_t>(kSizeV1_3);
    spec->name = s(name);
    spec->argv = argv.data();
    spec->argc = argv.size();
    const Outcome created = same("a 1.3 spec", [&](Side &side) {
        return side.outcome(side.table().service_create(of(side).web, spec));
    });
    EXPECT_EQ(created.status, WARDEN_OK) << created.text;
    EXPECT_EQ(host_->run_script("exec-web").find("uidgid"), std::string::npos);
    EXPECT_EQ(fake_->host().service("exec-web").spec.user, "");
    ::munmap(pages, 2 * page);
}

}  // namespace
}  // namespace warden::host
