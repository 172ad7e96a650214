// benthos_metrics.cpp — summing Benthos's Prometheus counters.
//
// This runs on every observation, so it scans the body once, in place, and
// looks at a line's value only when its metric name is one it wants.
#include "benthos_metrics.hpp"

#include <array>
#include <cstdlib>
#include <string>
#include <utility>

namespace benthos_plugin {
namespace {

using Field = double BenthosCounters::*;

constexpr std::array<std::pair<std::string_view, Field>, 10> kFields = {{
    {"input_received", &BenthosCounters::input_received},
    {"output_sent", &BenthosCounters::output_sent},
    {"output_error", &BenthosCounters::output_error},
    {"processor_error", &BenthosCounters::processor_error},
    {"input_connection_up", &BenthosCounters::input_connection_up},
    {"input_connection_lost", &BenthosCounters::input_connection_lost},
    {"input_connection_failed", &BenthosCounters::input_connection_failed},
    {"output_connection_up", &BenthosCounters::output_connection_up},
    {"output_connection_lost", &BenthosCounters::output_connection_lost},
    {"output_connection_failed", &BenthosCounters::output_connection_failed},
}};

Field field_named(std::string_view name) {
    for (const auto &[known, field] : kFields)
        if (known == name) return field;
    return nullptr;
}

// The value of one sample line: after the name and its optional {labels}
// (whose quoted values may hold spaces or braces), before an optional
// timestamp.
bool sample_value(std::string_view rest, double &value) {
    size_t i = 0;
    if (i < rest.size() && rest[i] == '{') {
        bool quoted = false;
        for (++i; i < rest.size(); ++i) {
            const char c = rest[i];
            if (quoted && c == '\\') {
                ++i;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (!quoted && c == '}') {
                break;
            }
        }
        if (i >= rest.size()) return false;
        ++i;
    }
    while (i < rest.size() && rest[i] == ' ') ++i;
    const std::string number(rest.substr(i, rest.find(' ', i) - i));
    if (number.empty()) return false;
    char *end = nullptr;
    value = std::strtod(number.c_str(), &end);
    return end != nullptr && *end == '\0';
}

}  // namespace

BenthosCounters parse_prometheus(std::string_view text) {
    BenthosCounters counters;
    while (!text.empty()) {
        const size_t eol = text.find('\n');
        const std::string_view line = text.substr(0, eol);
        text = eol == std::string_view::npos ? std::string_view() : text.substr(eol + 1);
        if (line.empty() || line[0] == '#') continue;
        const size_t name_end = line.find_first_of("{ ");
        if (name_end == std::string_view::npos) continue;
        const Field field = field_named(line.substr(0, name_end));
        double value = 0;
        if (field != nullptr && sample_value(line.substr(name_end), value))
            counters.*field += value;
    }
    return counters;
}

bool BenthosCounters::went_back_from(const BenthosCounters &earlier) const {
    for (const auto &[name, field] : kFields)
        if (this->*field < earlier.*field) return true;
    return false;
}

BenthosCounters BenthosCounters::minus(const BenthosCounters &earlier) const {
    BenthosCounters out;
    for (const auto &[name, field] : kFields) out.*field = this->*field - earlier.*field;
    return out;
}

nlohmann::json BenthosCounters::to_json() const {
    nlohmann::json out = nlohmann::json::object();
    for (const auto &[name, field] : kFields) out[std::string(name)] = this->*field;
    return out;
}

BenthosCounters BenthosCounters::from_json(const nlohmann::json &in) {
    BenthosCounters counters;
    if (!in.is_object()) return counters;
    for (const auto &[name, field] : kFields) counters.*field = in.value(std::string(name), 0.0);
    return counters;
}

}  // namespace benthos_plugin
