// SPDX-License-Identifier: Apache-2.0
// tests/integration/metrics_test.cpp — the host's Prometheus endpoint, on
// the real host with real s6 and exec workers: what it shows as workers
// start, die, change and leave; what promtool makes of it; a port another
// program holds; and a real Prometheus server (Debian's) scraping the host
// and seeing a worker stop through its query API.
#include "host_run.hpp"
#include "loopback.hpp"

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <csignal>
#include <map>
#include <optional>

namespace warden::host {
namespace {

using warden::test::free_port;
using warden::test::Listener;

// The endpoint's answer, or "" when nothing answers.
std::string scrape(uint16_t port) {
    httplib::Client client("127.0.0.1", port);
    client.set_connection_timeout(2);
    client.set_read_timeout(5);
    auto answer = client.Get("/metrics");
    return answer && answer->status == 200 ? answer->body : std::string();
}

// The value of the first series named `name` with every label of `labels`;
// nullopt when there is none.
std::optional<double> value_of(const std::string &text, const std::string &name,
                               const std::map<std::string, std::string> &labels) {
    std::size_t at = 0;
    while ((at = text.find("\n" + name, at)) != std::string::npos) {
        const std::size_t end = text.find('\n', at + 1);
        const std::string line = text.substr(at + 1, end - at - 1);
        at = end;
        const char after = line.size() > name.size() ? line[name.size()] : '\0';
        if (after != '{' && after != ' ') continue;  // another series with this prefix
        bool all = true;
        for (const auto &[label, value] : labels)
            all = all && line.find(label + "=\"" + value + "\"") != std::string::npos;
        if (all) return std::stod(line.substr(line.rfind(' ') + 1));
    }
    return std::nullopt;
}

class Metrics : public HostRun {
protected:
    std::string metrics_block() const {
        return "metrics:\n  listen: 127.0.0.1:" + std::to_string(port_) + "\n";
    }
    std::string listening() const {
        return "metrics endpoint listening on http://127.0.0.1:" + std::to_string(port_) +
               "/metrics";
    }
    // Waits until a scrape shows `name` with `labels` at `value`.
    bool shows(const std::string &name, const std::map<std::string, std::string> &labels,
               double value) {
        return wait_until([&] { return value_of(scrape(port_), name, labels) == value; }, 20s);
    }

    uint16_t port_ = free_port();
};

TEST_F(Metrics, the_endpoint_shows_workers_as_they_start_die_change_and_leave) {
    write_config(
        config(exec_worker("web") + exec_worker("off", "[say, hi]", "stopped"), metrics_block()));
    auto host = start();
    ASSERT_TRUE(logs(*host, listening())) << host->err();
    ASSERT_TRUE(logs(*host, "exec/web: starting -> running")) << host->err();
    const std::map<std::string, std::string> web = {{"type", "exec"}, {"worker", "web"}};
    ASSERT_TRUE(shows("warden_worker_state",
                      {{"worker", "web"}, {"state", "running"}, {"phase", "running-healthy"}}, 1))
        << scrape(port_);
    ASSERT_TRUE(shows("warden_worker_healthy", {{"worker", "off"}}, 1)) << scrape(port_);
    ASSERT_TRUE(shows("warden_service_up", {{"worker", "web"}, {"service", "exec-web"}}, 1))
        << scrape(port_);
    std::string text = scrape(port_);
    EXPECT_EQ(value_of(text, "warden_worker_state", {{"worker", "off"}, {"desired", "stopped"}}), 1)
        << text;
    EXPECT_EQ(value_of(text, "warden_worker_actions_total",
                       {{"worker", "web"}, {"action", "deploy"}, {"result", "ok"}}),
              1)
        << text;
    EXPECT_TRUE(
        value_of(text, "warden_collect_duration_seconds_count", {{"type", "exec"}}).value_or(0) >=
        1)
        << text;
    EXPECT_TRUE(value_of(text, "warden_plugin_info", {{"plugin", "exec"}})) << text;
    EXPECT_EQ(value_of(text, "warden_config_reloads_total", {{"result", "ok"}}), 1) << text;

    // promtool, Prometheus's own checker, takes the whole answer.
    write_file(dir_ / "scrape.txt", text);
    const auto checked = run_process(
        {"/bin/sh", "-c", "promtool check metrics < " + (dir_ / "scrape.txt").string()});
    EXPECT_EQ(checked.exit_code, 0) << checked.describe() << text;

    // Killed: s6 restarts it and its death is counted.
    const pid_t first = pid_of("exec-web");
    ASSERT_NE(first, 0);
    ::kill(first, SIGKILL);
    ASSERT_TRUE(shows("warden_service_restarts_total", {{"service", "exec-web"}}, 1))
        << scrape(port_);
    ASSERT_TRUE(shows("warden_service_up", {{"service", "exec-web"}}, 1)) << scrape(port_);

    // A refused reload is counted and shown; nothing else changes.
    write_config(config(exec_worker("web") + "  - type: nosuch\n    name: x\n", metrics_block()));
    host->signal(SIGHUP);
    ASSERT_TRUE(logs(*host, "nothing changed")) << host->err();
    ASSERT_TRUE(shows("warden_config_last_reload_successful", {}, 0)) << scrape(port_);
    text = scrape(port_);
    EXPECT_EQ(value_of(text, "warden_config_reloads_total", {{"result", "refused"}}), 1) << text;

    // A worker removed: every series of it goes.
    write_config(config(exec_worker("web"), metrics_block()));
    host->signal(SIGHUP);
    ASSERT_TRUE(logs(*host, "1 workers; 0 added, 1 removed, 0 changed")) << host->err();
    ASSERT_TRUE(wait_until([&] {
        const std::string now = scrape(port_);
        return !now.empty() && now.find("worker=\"off\"") == std::string::npos;
    })) << scrape(port_);
    EXPECT_EQ(value_of(scrape(port_), "warden_config_last_reload_successful", {}), 1);

    // The block removed: the endpoint closes, the workers run on.
    write_config(config(exec_worker("web")));
    host->signal(SIGHUP);
    ASSERT_TRUE(logs(*host, "metrics endpoint 127.0.0.1:" + std::to_string(port_) + " closed"))
        << host->err();
    EXPECT_EQ(scrape(port_), "");
    EXPECT_NE(pid_of("exec-web"), 0);
}

TEST_F(Metrics, a_port_another_program_holds_leaves_the_host_running_without_the_endpoint) {
    auto holder = std::make_unique<Listener>(port_);
    ASSERT_TRUE(holder->listening());
    write_config(config(exec_worker("web"), metrics_block()));
    auto host = start();
    ASSERT_TRUE(logs(*host, "metrics endpoint 127.0.0.1:" + std::to_string(port_) +
                                ": cannot listen: the port is taken by another program "
                                "(EADDRINUSE); the host runs on without it and tries again at "
                                "the next reload"))
        << host->err();
    ASSERT_TRUE(logs(*host, "exec/web: starting -> running")) << host->err();

    // Freed, and the file unchanged: a reload tries again.
    holder.reset();
    host->signal(SIGHUP);
    ASSERT_TRUE(logs(*host, listening())) << host->err();
    EXPECT_TRUE(shows("warden_worker_healthy", {{"worker", "web"}}, 1)) << scrape(port_);
}

// Prometheus's answer to an instant query: the `phase` label of each series
// it returns (empty when it cannot be asked yet).
std::vector<std::string> phases(uint16_t port, const std::string &query) {
    httplib::Client client("127.0.0.1", port);
    client.set_connection_timeout(2);
    auto answer =
        client.Get("/api/v1/query", httplib::Params{{"query", query}}, httplib::Headers{});
    if (!answer || answer->status != 200) return {};
    const auto body = nlohmann::json::parse(answer->body, nullptr, false);
    std::vector<std::string> out;
    if (!body.is_object() || body.value("status", "") != "success") return out;
    for (const auto &series : body["data"]["result"])
        out.push_back(series["metric"].value("phase", ""));
    return out;
}

TEST_F(Metrics, prometheus_scrapes_the_host_and_sees_a_worker_stop) {
    write_config(config(exec_worker("web"), metrics_block()));
    auto host = start();
    ASSERT_TRUE(logs(*host, listening())) << host->err();

    const uint16_t prometheus_port = free_port();
    write_file(dir_ / "prometheus.yml",
               "global: {scrape_interval: 1s, evaluation_interval: 1s}\n"
               "scrape_configs:\n"
               "  - job_name: warden\n"
               "    static_configs: [{targets: ['127.0.0.1:" +
                   std::to_string(port_) + "']}]\n");
    auto prometheus = std::make_unique<BackgroundProcess>(
        std::vector<std::string>{
            "/usr/bin/prometheus", "--config.file=" + (dir_ / "prometheus.yml").string(),
            "--storage.tsdb.path=" + (dir_ / "tsdb").string(),
            "--web.listen-address=127.0.0.1:" + std::to_string(prometheus_port),
            "--log.level=warn"},
        dir_ / "prometheus.out", dir_ / "prometheus.err");
    const std::string query = "warden_worker_state{type=\"exec\",worker=\"web\"}";
    ASSERT_TRUE(wait_until(
        [&] {
            return phases(prometheus_port, query) == std::vector<std::string>{"running-healthy"};
        },
        60s))
        << prometheus->err() << host->err();

    write_config(config(exec_worker("web", "[say, hi]", "stopped"), metrics_block()));
    host->signal(SIGHUP);
    ASSERT_TRUE(logs(*host, "exec/web: stopping -> stopped")) << host->err();
    // The running-healthy series ended (Prometheus marks it stale at the
    // first scrape without it): only the stopped one is left.
    EXPECT_TRUE(wait_until(
        [&] { return phases(prometheus_port, query) == std::vector<std::string>{"stopped"}; }, 30s))
        << prometheus->err();
    prometheus->signal(SIGTERM);
    EXPECT_TRUE(prometheus->wait(30s)) << prometheus->err();
}

}  // namespace
}  // namespace warden::host
