// SPDX-License-Identifier: Apache-2.0
// cluster_sync.hpp — keeping a broker's cluster properties as the YAML asks,
// through Redpanda's admin API.
//
// The worker never restarts a broker to change a cluster property. It reads
// what the broker has (`GET /v1/cluster_config`), sends only the difference
// (`PUT /v1/cluster_config` with `upsert` and `remove`), keeps the version
// Redpanda answers with, and reads back (`GET /v1/cluster_config/status`)
// until the broker shows that version; only when that status says a
// restart is needed is the broker restarted, in place. A property the
// worker set and the YAML no longer names is removed (back to Redpanda's
// default); properties someone else set are left alone.
//
// These are the pure parts: the difference, the request body, and reading
// Redpanda's answers, each refusal in Redpanda's own words.
//
// THREADING: pure functions and plain values.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace redpanda_plugin {

/// What to send so the broker has what is wanted.
struct ClusterDiff {
    nlohmann::json upsert = nlohmann::json::object();  ///< name -> wanted value
    std::vector<std::string> remove;                   ///< back to Redpanda's default
    /// Those of `upsert` whose value the broker hides (a secret reads as
    /// "[secret]"): sent, since nobody can tell whether they differ.
    std::vector<std::string> hidden;

    bool empty() const { return upsert.empty() && remove.empty(); }
    /// "log_retention_ms, auto_create_topics_enabled; removing retention_bytes"
    std::string summary() const;
    /// The PUT body: {"upsert":{...},"remove":[...]}; both keys always there.
    std::string body() const;
};

/// The names of `properties` (name -> value), in order.
std::vector<std::string> property_names(const nlohmann::json &properties);

/// "a, b, c"
std::string joined(const std::vector<std::string> &names);

/// Whether two values of one property are the same to Redpanda (a number is
/// a number, whichever JSON spelling).
bool same_value(const nlohmann::json &a, const nlohmann::json &b);

/// The difference between `wanted` (name -> value) and `current` (the
/// broker's GET /v1/cluster_config), and the properties of `managed` (set by
/// the worker before) that are no longer wanted.
ClusterDiff diff_cluster(const nlohmann::json &wanted, const nlohmann::json &current,
                         const std::vector<std::string> &managed);

/// A fingerprint of the wanted properties: a refusal belongs to one.
std::string wanted_fingerprint(const nlohmann::json &wanted);

/// Redpanda's answer to the PUT.
struct PutAnswer {
    int64_t version = -1;  ///< config_version on success
    /// The properties Redpanda refused, in its own words ("log_segment_ms: too
    /// small, must be at least 60000"), on a 400; nothing was applied.
    std::string refused;
    /// Why the answer was neither: a request Redpanda could not read (400
    /// with a message: the worker's fault, not the config's), 5xx, a body
    /// that is not Redpanda's.
    std::string error;
};
PutAnswer read_put_answer(int status_code, std::string_view body);

/// This broker's line of GET /v1/cluster_config/status.
struct ConfigStatus {
    int64_t version = -1;
    bool restart = false;              ///< a changed property waits for a restart
    std::vector<std::string> invalid;  ///< properties the node holds invalid values for
    std::vector<std::string> unknown;  ///< properties the node does not know
    std::string error;                 ///< the body was not a status; "" = read
};
/// Reads the status body; a single-node cluster has one entry, and with
/// several the lowest version is the one still to come.
ConfigStatus read_config_status(std::string_view body);

}  // namespace redpanda_plugin
