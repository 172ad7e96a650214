// SPDX-License-Identifier: Apache-2.0
// cluster_sync.cpp — the difference to send, and Redpanda's answers.
#include "cluster_sync.hpp"

#include <warden/kit/fingerprint.hpp>
#include <warden/kit/json_value.hpp>
#include <warden/validation.hpp>

#include <algorithm>
#include <cmath>
#include <string_view>

namespace redpanda_plugin {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxRefusalBytes = 600;

// What GET /v1/cluster_config shows for a secret (Redpanda's
// config::secret_placeholder).
constexpr std::string_view kSecret = "[secret]";

}  // namespace

std::string joined(const std::vector<std::string> &names) {
    std::string out;
    for (const std::string &name : names) out += (out.empty() ? "" : ", ") + name;
    return out;
}

std::vector<std::string> property_names(const json &properties) {
    std::vector<std::string> out;
    for (const auto &entry : properties.items()) out.push_back(entry.key());
    return out;
}

std::string ClusterDiff::summary() const {
    std::string out = joined(property_names(upsert));
    if (!remove.empty()) out += (out.empty() ? "removing " : "; removing ") + joined(remove);
    return out;
}

std::string ClusterDiff::body() const {
    return json{{"upsert", upsert}, {"remove", remove}}.dump();
}

bool same_value(const json &a, const json &b) {
    if (a.is_number() && b.is_number()) {
        if (a.is_number_integer() && b.is_number_integer()) return a == b;
        const double x = a.get<double>(), y = b.get<double>();
        return x == y || std::fabs(x - y) <= 1e-9 * std::max(std::fabs(x), std::fabs(y));
    }
    if (a.is_array() && b.is_array()) {
        if (a.size() != b.size()) return false;
        for (std::size_t i = 0; i < a.size(); ++i)
            if (!same_value(a[i], b[i])) return false;
        return true;
    }
    return a == b;
}

ClusterDiff diff_cluster(const json &wanted, const json &current,
                         const std::vector<std::string> &managed) {
    ClusterDiff d;
    for (const auto &[name, value] : wanted.items()) {
        const auto it = current.find(name);
        if (it != current.end() && same_value(*it, value)) continue;
        d.upsert[name] = value;
        if (it != current.end() && it->is_string() && it->get_ref<const std::string &>() == kSecret)
            d.hidden.push_back(name);
    }
    for (const std::string &name : managed)
        if (!wanted.contains(name) && current.contains(name)) d.remove.push_back(name);
    std::sort(d.remove.begin(), d.remove.end());
    d.remove.erase(std::unique(d.remove.begin(), d.remove.end()), d.remove.end());
    return d;
}

std::string wanted_fingerprint(const json &wanted) {
    warden::kit::Fingerprint f;
    f.add(wanted.dump());
    return f.hex();
}

// 200 {"config_version": N}; 400 with a flat map of property -> message (a
// validation refusal) or {"message": ..., "code": 400} (a request Redpanda
// could not read); anything else is an error to try again.
PutAnswer read_put_answer(int status_code, std::string_view body) {
    PutAnswer a;
    const json doc = json::parse(body, nullptr, false);
    if (status_code == 200) {
        a.version = warden::kit::value_or(doc, "config_version", int64_t{-1});
        if (a.version < 0)
            a.error = "PUT /v1/cluster_config answered 200 without a config_version: " +
                      warden::printable(body, 200);
        return a;
    }
    if (status_code == 400 && doc.is_object()) {
        if (doc.contains("message") && doc.contains("code")) {
            a.error = "Redpanda could not read the request: " +
                      warden::printable(warden::kit::value_or(doc, "message", std::string()),
                                        kMaxRefusalBytes);
            return a;
        }
        std::string text;
        for (const auto &[name, message] : doc.items()) {
            text += (text.empty() ? "" : "; ") + name + ": " +
                    (message.is_string() ? message.get<std::string>() : message.dump());
        }
        a.refused = warden::printable(text, kMaxRefusalBytes);
        if (!a.refused.empty()) return a;
    }
    a.error = "PUT /v1/cluster_config answered HTTP " + std::to_string(status_code) +
              (body.empty() ? std::string() : ": " + warden::printable(body, 200));
    return a;
}

ConfigStatus read_config_status(std::string_view body) {
    ConfigStatus s;
    const json doc = json::parse(body, nullptr, false);
    if (!doc.is_array() || doc.empty() || !doc[0].is_object()) {
        s.error = "GET /v1/cluster_config/status answered " + warden::printable(body, 120);
        return s;
    }
    for (const json &node : doc) {
        const int64_t version = warden::kit::value_or(node, "config_version", int64_t{-1});
        if (s.version < 0 || (version >= 0 && version < s.version)) s.version = version;
        s.restart = s.restart || warden::kit::value_or(node, "restart", false);
        for (const char *key : {"invalid", "unknown"}) {
            const auto list = node.find(key);
            if (list == node.end() || !list->is_array()) continue;
            for (const json &name : *list)
                if (name.is_string())
                    (key[0] == 'i' ? s.invalid : s.unknown)
                        .push_back(warden::printable(name.get<std::string>(), 100));
        }
    }
    return s;
}

}  // namespace redpanda_plugin
