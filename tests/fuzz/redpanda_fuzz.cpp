// SPDX-License-Identifier: Apache-2.0
// tests/fuzz/redpanda_fuzz.cpp — what a Redpanda broker hands the
// `redpanda` worker, as the plugin reads it: any bytes as a /public_metrics
// body, a /v1/cluster_config/status body, an answer to the PUT (200 and
// 400), GET /v1/cluster_config's values against wanted properties, and log
// lines. Every reader must stay bounded and printable where it quotes, and
// never crash.
#include "cluster_sync.hpp"
#include "redpanda_log.hpp"
#include "redpanda_metrics.hpp"
#include "redpanda_observed.hpp"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

namespace {

using namespace redpanda_plugin;

void check(bool ok) {
    if (!ok) std::abort();
}

bool printable(std::string_view text) {
    for (const char c : text)
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return false;
    return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char *>(data), size);

    const BrokerMetrics m = read_public_metrics(text);
    check(m.free_space_alert >= 0 && m.free_space_alert <= 2);
    check(m.version.size() <= 64 * 4 && printable(m.version));
    check(printable(m.problem));
    check(BrokerMetrics::from_json(m.to_json()).to_json() == m.to_json());

    const ConfigStatus status = read_config_status(text);
    check(status.error.empty() || printable(status.error));
    for (const std::string &name : status.invalid) check(printable(name) && name.size() <= 400);

    for (const int code : {200, 400, 503}) {
        const PutAnswer a = read_put_answer(code, text);
        check(printable(a.refused) && printable(a.error));
        check(a.refused.size() <= 600 * 4);
        check(code == 200 || a.version == -1);
    }

    const nlohmann::json current = nlohmann::json::parse(text, nullptr, false);
    if (current.is_object()) {
        const nlohmann::json wanted = {{"log_retention_ms", 604800000},
                                       {"log_cleanup_policy", "compact,delete"},
                                       {"kafka_nodelete_topics", {"a", "b"}},
                                       {"retention_bytes", nullptr}};
        const ClusterDiff d = diff_cluster(wanted, current, {"retention_bytes", "x"});
        check(d.upsert.size() <= wanted.size());
        check(nlohmann::json::parse(d.body(), nullptr, false).is_object());
        const RedpandaFacts f = RedpandaFacts::from_json(current);
        check(RedpandaFacts::from_json(f.to_json()).to_json() == f.to_json());
    }

    std::vector<std::string> lines;
    std::size_t start = 0;
    for (std::size_t i = 0; i <= text.size() && lines.size() < 2000; ++i)
        if (i == text.size() || text[i] == '\n') {
            lines.emplace_back(text.substr(start, i - start));
            start = i + 1;
        }
    const std::string fatal = newest_fatal_line(lines);
    check(fatal.size() <= 400 * 4 && printable(fatal));
    return 0;
}
