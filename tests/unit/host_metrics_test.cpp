// SPDX-License-Identifier: Apache-2.0
// tests/unit/host_metrics_test.cpp — what the host's Prometheus endpoint
// shows, from workers' reports and the supervisor's events; and the address
// it listens on, as warden.yaml gives it.
#include "metrics/host_metrics.hpp"
#include "common/clock.hpp"
#include "config/host_config.hpp"
#include "metrics/plugin_figures.hpp"
#include "net/listen_address.hpp"

#include <prometheus/text_serializer.h>

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace warden::host {
namespace {

constexpr int64_t kSecond = 1'000'000'000;

std::string text_of(const HostMetrics &metrics) {
    return prometheus::TextSerializer().Serialize(metrics.Collect());
}

bool has_line(const std::string &text, const std::string &line) {
    return ("\n" + text).find("\n" + line + "\n") != std::string::npos;
}

WorkerReport worker(const std::string &name, const std::string &state, int32_t phase) {
    WorkerReport r;
    r.worker.type = "exec";
    r.worker.name = name;
    r.worker.state = state;
    r.worker.phase = phase;
    r.worker.state_changes = 3;
    return r;
}

TEST(HostMetrics, shows_the_host_and_its_config_loads) {
    HostMetrics metrics("9.8.7", 1'700'000'000 * kSecond);
    metrics.set_plugins(
        {{"exec", "1.0\n\"x", WARDEN_ABI_VERSION, "/usr/lib/warden/plugins/exec.so"}});
    metrics.config_loaded(true, 1'700'000'010 * kSecond);
    metrics.config_loaded(false, 1'700'000'020 * kSecond);
    const std::string text = text_of(metrics);
    EXPECT_TRUE(has_line(text, "warden_build_info{version=\"9.8.7\",abi=\"" +
                                   abi_version_text(WARDEN_ABI_VERSION) + "\"} 1"))
        << text;
    EXPECT_TRUE(has_line(text, "warden_host_start_time_seconds 1700000000")) << text;
    EXPECT_TRUE(has_line(text, "warden_config_reloads_total{result=\"ok\"} 1")) << text;
    EXPECT_TRUE(has_line(text, "warden_config_reloads_total{result=\"refused\"} 1")) << text;
    EXPECT_TRUE(has_line(text, "warden_config_last_reload_successful 0")) << text;
    EXPECT_TRUE(has_line(text, "warden_config_last_reload_success_timestamp_seconds 1700000010"))
        << text;
    // A plugin's version is its own text: escaped, one line whatever it holds.
    EXPECT_TRUE(has_line(text,
                         "warden_plugin_info{plugin=\"exec\",version=\"1.0\\\\x0a\\\"x\","
                         "abi=\"" +
                             abi_version_text(WARDEN_ABI_VERSION) +
                             "\",file=\"/usr/lib/warden/plugins/exec.so\"} 1"))
        << text;
}

TEST(HostMetrics, shows_each_worker_from_its_report) {
    HostMetrics metrics("1", 0);
    const int64_t now = unix_ns();
    WorkerReport up = worker("web", "running", WARDEN_PHASE_RUNNING_HEALTHY);
    up.worker.state_since = now - 60 * kSecond;
    up.worker.observed_at = now - 2 * kSecond;
    up.services.push_back(ServiceView{"exec-web", true, true, 42, now - 30 * kSecond, 4, true});
    WorkerReport off = worker("off", "stopped", WARDEN_PHASE_STOPPED);
    off.worker.desired_state = WARDEN_DESIRED_STOPPED;
    WorkerReport sick = worker("sick", "starting", WARDEN_PHASE_STARTING);
    sick.worker.stale = true;
    sick.worker.failure = "next failed";
    sick.worker.failure_retry_at = now + 30 * kSecond;
    sick.worker.action_retry_at = now + 10 * kSecond;
    sick.services.push_back(ServiceView{"exec-sick", true, false, 0, now - 5 * kSecond, 9, false});
    metrics.set_source([&] { return std::vector<WorkerReport>{up, off, sick}; });
    const std::string text = text_of(metrics);

    EXPECT_TRUE(has_line(text, "warden_workers{type=\"exec\"} 3")) << text;
    EXPECT_TRUE(has_line(text,
                         "warden_worker_state{type=\"exec\",worker=\"web\",state=\"running\","
                         "phase=\"running-healthy\",desired=\"running\"} 1"))
        << text;
    EXPECT_TRUE(has_line(text, "warden_worker_healthy{type=\"exec\",worker=\"web\"} 1")) << text;
    // Stopped as asked is healthy; starting, stale and failing is not.
    EXPECT_TRUE(has_line(text, "warden_worker_healthy{type=\"exec\",worker=\"off\"} 1")) << text;
    EXPECT_TRUE(has_line(text,
                         "warden_worker_state{type=\"exec\",worker=\"off\",state=\"stopped\",phase="
                         "\"stopped\",desired=\"stopped\"} 1"))
        << text;
    EXPECT_TRUE(has_line(text, "warden_worker_healthy{type=\"exec\",worker=\"sick\"} 0")) << text;
    EXPECT_TRUE(has_line(text, "warden_worker_observation_stale{type=\"exec\",worker=\"sick\"} 1"))
        << text;
    EXPECT_TRUE(has_line(text, "warden_worker_plugin_failing{type=\"exec\",worker=\"sick\"} 1"))
        << text;
    EXPECT_TRUE(
        has_line(text, "warden_worker_state_transitions_total{type=\"exec\",worker=\"web\"} 3"))
        << text;
    // Counters of errors are there from the start, at zero.
    EXPECT_TRUE(has_line(text, "warden_worker_plugin_errors_total{type=\"exec\",worker=\"web\"} 0"))
        << text;
    EXPECT_TRUE(has_line(text, "warden_worker_plugin_failing{type=\"exec\",worker=\"web\"} 0"))
        << text;
    // No backoff in force: no series.
    EXPECT_EQ(text.find("warden_worker_backoff_seconds{type=\"exec\",worker=\"web\""),
              std::string::npos)
        << text;
    EXPECT_TRUE(
        has_line(text, "warden_service_up{type=\"exec\",worker=\"web\",service=\"exec-web\"} 1"))
        << text;
    EXPECT_TRUE(
        has_line(text, "warden_service_ready{type=\"exec\",worker=\"web\",service=\"exec-web\"} 1"))
        << text;
    EXPECT_TRUE(has_line(
        text,
        "warden_service_restarts_total{type=\"exec\",worker=\"sick\",service=\"exec-sick\"} 9"))
        << text;
    EXPECT_TRUE(has_line(
        text,
        "warden_service_uptime_seconds{type=\"exec\",worker=\"sick\",service=\"exec-sick\"} 0"))
        << text;

    // Times: read back as numbers, within the test's own span.
    const auto value_of = [&](const std::string &series) {
        const std::size_t at = text.find("\n" + series + " ");
        EXPECT_NE(at, std::string::npos) << series << "\n" << text;
        return at == std::string::npos ? -1.0 : std::stod(text.substr(at + series.size() + 2));
    };
    EXPECT_NEAR(value_of("warden_worker_observation_age_seconds{type=\"exec\",worker=\"web\"}"), 2,
                1);
    EXPECT_NEAR(value_of("warden_service_uptime_seconds{type=\"exec\",worker=\"web\",service="
                         "\"exec-web\"}"),
                30, 1);
    EXPECT_NEAR(
        value_of("warden_worker_backoff_seconds{type=\"exec\",worker=\"sick\",kind=\"plugin\"}"),
        30, 1);
    EXPECT_NEAR(
        value_of("warden_worker_backoff_seconds{type=\"exec\",worker=\"sick\",kind=\"action\"}"),
        10, 1);
    // Never observed: no age at all, rather than an age since 1970.
    EXPECT_EQ(text.find("warden_worker_observation_age_seconds{type=\"exec\",worker=\"off\"}"),
              std::string::npos)
        << text;
}

TEST(HostMetrics, counts_what_the_supervisor_reports_and_forgets_removed_workers) {
    HostMetrics metrics("1", 0);
    std::vector<WorkerReport> reports = {worker("web", "running", WARDEN_PHASE_RUNNING_HEALTHY)};
    metrics.set_source([&] { return reports; });
    metrics.collected("exec", "web", true, 2'000'000);
    metrics.collected("exec", "web", false, 20'000'000);
    metrics.action_finished("exec", "web", "create_service", ActionOutcome::ok, 300'000'000);
    metrics.action_finished("exec", "web", "create_service", ActionOutcome::failed, 40'000'000);
    metrics.action_finished("exec", "web", "start_service", ActionOutcome::timeout, 31 * kSecond);
    metrics.plugin_failed("exec", "web");
    metrics.collector_restarted("exec", "web");
    std::string text = text_of(metrics);

    EXPECT_TRUE(has_line(text, "warden_collect_errors_total{type=\"exec\"} 1")) << text;
    EXPECT_TRUE(has_line(text, "warden_worker_plugin_errors_total{type=\"exec\",worker=\"web\"} 1"))
        << text;
    EXPECT_TRUE(has_line(text, "warden_collector_restarts_total{type=\"exec\"} 1")) << text;
    EXPECT_TRUE(has_line(text, "warden_collect_duration_seconds_count{type=\"exec\"} 2")) << text;
    EXPECT_TRUE(
        has_line(text, "warden_collect_duration_seconds_bucket{type=\"exec\",le=\"0.0025\"} 1"))
        << text;
    EXPECT_TRUE(has_line(text,
                         "warden_worker_actions_total{type=\"exec\",worker=\"web\",action="
                         "\"create_service\",result=\"ok\"} 1"))
        << text;
    EXPECT_TRUE(has_line(text,
                         "warden_worker_actions_total{type=\"exec\",worker=\"web\",action="
                         "\"create_service\",result=\"failed\"} 1"))
        << text;
    EXPECT_TRUE(has_line(text,
                         "warden_worker_actions_total{type=\"exec\",worker=\"web\",action="
                         "\"start_service\",result=\"timeout\"} 1"))
        << text;
    EXPECT_TRUE(has_line(text,
                         "warden_action_duration_seconds_count{type=\"exec\",action="
                         "\"create_service\"} 2"))
        << text;
    EXPECT_TRUE(has_line(text,
                         "warden_action_duration_seconds_bucket{type=\"exec\",action="
                         "\"start_service\",le=\"30\"} 0"))
        << text;

    // Removed: every series of it goes, counted ones included; the type's
    // durations stay.
    reports.clear();
    metrics.worker_removed("exec", "web");
    text = text_of(metrics);
    EXPECT_EQ(text.find("worker=\"web\""), std::string::npos) << text;
    EXPECT_TRUE(has_line(text, "warden_collect_duration_seconds_count{type=\"exec\"} 2")) << text;
    // Back under the same name, it starts from nothing.
    reports = {worker("web", "running", WARDEN_PHASE_RUNNING_HEALTHY)};
    text = text_of(metrics);
    EXPECT_TRUE(has_line(text, "warden_worker_plugin_errors_total{type=\"exec\",worker=\"web\"} 0"))
        << text;
}

TEST(HostMetrics, keeps_a_workers_services_bounded) {
    HostMetrics metrics("1", 0);
    WorkerReport many = worker("many", "running", WARDEN_PHASE_RUNNING_HEALTHY);
    for (int i = 40; i > 0; --i)
        many.services.push_back(
            ServiceView{"exec-many-" + std::to_string(100 + i), true, true, i, 0, 0, false});
    metrics.set_source([&] { return std::vector<WorkerReport>{many}; });
    const std::string text = text_of(metrics);
    std::size_t shown = 0;
    for (std::size_t at = text.find("\nwarden_service_up{"); at != std::string::npos;
         at = text.find("\nwarden_service_up{", at + 1))
        ++shown;
    EXPECT_EQ(shown, HostMetrics::kMaxServicesPerWorker);
    // The first by name.
    EXPECT_NE(text.find("service=\"exec-many-101\""), std::string::npos);
    EXPECT_EQ(text.find("service=\"exec-many-140\""), std::string::npos);
}

TEST(HostMetrics, ends_with_the_figures_workers_publish) {
    PluginFigures figures;
    HostMetrics metrics("1", 0, &figures);
    Figure sent;
    sent.name = "output_sent_total";
    sent.kind = WARDEN_FIGURE_COUNTER;
    sent.help = "Messages sent.";
    sent.value = 42;
    ASSERT_TRUE(figures.publish("benthos", "pipe", sent));
    std::string text = text_of(metrics);
    EXPECT_TRUE(has_line(text, "# TYPE warden_plugin_benthos_output_sent_total counter")) << text;
    EXPECT_TRUE(has_line(
        text, "warden_plugin_benthos_output_sent_total{type=\"benthos\",worker=\"pipe\"} 42"))
        << text;
    figures.forget("benthos", "pipe");
    EXPECT_EQ(text_of(metrics).find("warden_plugin_benthos"), std::string::npos);
}

TEST(ListenAddress, takes_ip_literals_and_ports_only) {
    std::string why;
    auto v4 = parse_listen_address("127.0.0.1:9478", why);
    ASSERT_TRUE(v4) << why;
    EXPECT_EQ(v4->text(), "127.0.0.1:9478");
    auto v6 = parse_listen_address("[::1]:9478", why);
    ASSERT_TRUE(v6) << why;
    EXPECT_TRUE(v6->ipv6);
    EXPECT_EQ(v6->text(), "[::1]:9478");
    auto any6 = parse_listen_address("[0:0::0]:80", why);
    ASSERT_TRUE(any6) << why;
    EXPECT_EQ(any6->text(), "[::]:80");
    for (const char *bad :
         {"", "9478", ":9478", "localhost:9478", "127.0.0.1", "127.0.0.1:", "127.0.0.1:0",
          "127.0.0.1:65536", "127.0.0.1:+80", "127.0.0.1: 80", "::1:9478", "[::1]", "[::1:9478",
          "[fe80::1%eth0]:9478", "127.0.0.1:9478,8080", "127.1:9478", "1.2.3.4.5:80",
          "127.0.0.1:009478"}) {
        EXPECT_FALSE(parse_listen_address(bad, why)) << bad;
        EXPECT_FALSE(why.empty()) << bad;
    }
    EXPECT_FALSE(parse_listen_address(std::string("127.0.0.1\0:9478", 15), why));
}

TEST(HostConfigMetrics, reads_the_metrics_block) {
    ParsedConfig parsed = parse_config("metrics:\n  listen: 127.0.0.1:9478\nworkers: []\n");
    ASSERT_TRUE(parsed.problems.empty()) << parsed.problems.front().message;
    ASSERT_TRUE(parsed.config.metrics_listen);
    EXPECT_EQ(parsed.config.metrics_listen->text(), "127.0.0.1:9478");
    EXPECT_FALSE(parse_config("workers: []\n").config.metrics_listen);
    ParsedConfig v6 = parse_config("metrics: {listen: \"[::1]:9478\"}\nworkers: []\n");
    ASSERT_TRUE(v6.problems.empty()) << v6.problems.front().message;
    EXPECT_EQ(v6.config.metrics_listen->text(), "[::1]:9478");

    const auto problem_of = [](const std::string &text) {
        ParsedConfig p = parse_config(text);
        return p.problems.empty()
                   ? std::string()
                   : std::to_string(p.problems.front().line) + ": " + p.problems.front().message;
    };
    EXPECT_EQ(problem_of("metrics:\n  listen: localhost:9478\nworkers: []\n"),
              "2: metrics.listen: 'localhost:9478': the part before the port is not an IPv4 "
              "address (host names are not taken)");
    EXPECT_EQ(problem_of("metrics:\n  port: 9478\nworkers: []\n"),
              "2: metrics: unknown key 'port' (known: listen)");
    EXPECT_EQ(problem_of("metrics: {}\nworkers: []\n"),
              "1: metrics: listen is required, such as `listen: 127.0.0.1:9478`");
    // Unquoted, the brackets open a YAML list: the file is refused.
    EXPECT_EQ(
        problem_of("metrics:\n  listen: [::1]:9478\nworkers: []\n").rfind("2: not valid YAML", 0),
        0u);
    EXPECT_EQ(problem_of("metrics: 9478\nworkers: []\n"),
              "1: metrics: must be a mapping (listen); to turn the endpoint off, remove the "
              "block");
}

}  // namespace
}  // namespace warden::host
