// SPDX-License-Identifier: Apache-2.0
// graphql_probe.cpp — the worker's GraphQL request, and reading the server's
// answers, metrics and log.
#include "graphql_probe.hpp"

#include <warden/validation.hpp>

#include <nlohmann/json.hpp>

namespace graphql_plugin {
namespace {

constexpr std::size_t kMaxQuoteBytes = 300;
// The topic browser's first line in each process.
constexpr std::string_view kBrowserStart = "topic browser starting:";

bool is_upper(char c) {
    return c >= 'A' && c <= 'Z';
}

bool is_letter(char c) {
    return is_upper(c) || (c >= 'a' && c <= 'z');
}

bool starts_nocase(std::string_view text, std::string_view lower) {
    if (text.size() < lower.size()) return false;
    for (std::size_t i = 0; i < lower.size(); ++i) {
        char c = text[i];
        if (is_upper(c)) c = static_cast<char>(c - 'A' + 'a');
        if (c != lower[i]) return false;
    }
    return true;
}

bool digits_at(std::string_view line, std::size_t at, std::size_t count) {
    if (line.size() < at + count) return false;
    for (std::size_t i = at; i < at + count; ++i)
        if (line[i] < '0' || line[i] > '9') return false;
    return true;
}

// The line without s6-log's timestamp: ISO 8601 ("2026-11-28 01:02:03.123456789  ",
// with a blank or a 'T' between date and time) or TAI64N ("@4000...  ").
std::string_view without_timestamp(std::string_view line) {
    std::size_t end = 0;
    if (digits_at(line, 0, 4) && line.size() > 19 && line[4] == '-' && digits_at(line, 5, 2) &&
        line[7] == '-' && digits_at(line, 8, 2) && (line[10] == ' ' || line[10] == 'T') &&
        digits_at(line, 11, 2) && line[13] == ':') {
        end = line.find(' ', 11);
    } else if (line.size() > 25 && line[0] == '@') {
        end = line.find(' ');
    }
    if (end == 0 || end == std::string_view::npos) return line;
    while (end < line.size() && line[end] == ' ') ++end;
    return line.substr(end);
}

// "Error: x", "TypeError: x", "Error [ERR_X]: x", "Uncaught Error: x".
bool is_js_error(std::string_view line) {
    if (line.rfind("Uncaught ", 0) == 0) line.remove_prefix(9);
    std::size_t i = 0;
    if (line.empty() || !is_upper(line[0])) return false;
    while (i < line.size() && is_letter(line[i])) ++i;
    const std::string_view name = line.substr(0, i);
    if (name.size() < 5 || name.substr(name.size() - 5) != "Error") return false;
    return i < line.size() && (line[i] == ':' || (line[i] == ' ' && line.substr(i, 2) == " ["));
}

// "error: x", "ERROR x", "fatal: x", "[error] x".
bool is_error_word(std::string_view line) {
    if (!line.empty() && line[0] == '[') line.remove_prefix(1);
    for (const std::string_view word : {std::string_view("error"), std::string_view("fatal")}) {
        if (!starts_nocase(line, word)) continue;
        const std::string_view rest = line.substr(word.size());
        if (rest.empty() || rest[0] == ':' || rest[0] == ' ' || rest[0] == ']') return true;
    }
    return false;
}

}  // namespace

std::string probe_body() {
    return R"({"query":"query )" + std::string(kProbeOperation) +
           R"( { __typename }","operationName":")" + std::string(kProbeOperation) + R"("})";
}

std::string typename_problem(int status_code, std::string_view body) {
    const std::string quoted = "'" + warden::printable(body, kMaxQuoteBytes) + "'";
    if (status_code != 200)
        return "{ __typename } answered HTTP " + std::to_string(status_code) +
               (body.empty() ? std::string() : ": " + quoted);
    const nlohmann::json answer = nlohmann::json::parse(body, nullptr, false);
    if (answer.is_discarded() || !answer.is_object())
        return "{ __typename } answered " + quoted + ", which is not a GraphQL response";
    const auto errors = answer.find("errors");
    if (errors != answer.end() && errors->is_array() && !errors->empty()) {
        const nlohmann::json &first = (*errors)[0];
        const auto message = first.is_object() ? first.find("message") : first.end();
        return "{ __typename } answered errors: " +
               (first.is_object() && message != first.end() && message->is_string()
                    ? warden::printable(message->get<std::string>(), kMaxQuoteBytes)
                    : quoted);
    }
    const auto data = answer.find("data");
    if (data == answer.end() || !data->is_object())
        return "{ __typename } answered " + quoted + " without data";
    const auto name = data->find("__typename");
    if (name == data->end() || !name->is_string() || name->get<std::string>().empty())
        return "{ __typename } answered " + quoted +
               ", expected {\"data\":{\"__typename\":\"Query\"}}";
    return {};
}

ServerMetrics read_server_metrics(std::string_view text) {
    ServerMetrics m;
    double requests = 0;
    double errors = 0;
    const auto summary = warden::kit::for_each_sample(text, [&](const warden::kit::SampleView &s) {
        const bool request = s.counts_as("graphql_envelop_request");
        const bool error = !request && s.counts_as("graphql_envelop_error_result");
        if (!request && !error) return;
        if (request) m.has_requests = true;
        if (s.has_label("operationName", kProbeOperation)) return;
        if (error && (s.has_label("phase", "parse") || s.has_label("phase", "validate"))) return;
        (request ? requests : errors) += s.value();
    });
    m.counters.set("requests", requests);
    m.counters.set("errors", errors);
    if (!summary.clean()) m.problem = summary.problem;
    return m;
}

std::string newest_error_line(const std::vector<std::string> &lines, std::string_view since_line) {
    for (auto it = lines.rbegin(); it != lines.rend(); ++it) {
        if (!since_line.empty() && *it == since_line) break;
        const std::string_view line = without_timestamp(*it);
        if (line.rfind(kBrowserStart, 0) == 0) break;
        if (is_js_error(line) || is_error_word(line))
            return warden::printable(line, kMaxQuoteBytes);
    }
    return {};
}

std::string error_reason(const std::string &line, uint32_t port) {
    if (line.find("EADDRINUSE") == std::string::npos || port == 0) return line;
    return "port " + std::to_string(port) + " is taken by another program (EADDRINUSE): " + line;
}

}  // namespace graphql_plugin
