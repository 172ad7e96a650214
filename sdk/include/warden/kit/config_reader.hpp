// SPDX-License-Identifier: Apache-2.0
// warden/kit/config_reader.hpp — checking a worker's `config:` block, key by key.
//
// Part of the worker kit: header-only C++ that compiles into the plugin, on
// the wrapper and nlohmann/json; never part of the ABI.
//
// The host hands a worker's config block to derive_desired_state as JSON
// text; the plugin checks it and throws warden::ConfigError naming the key
// and the problem ("command: must be an absolute path, got 'sleep'"). A
// ConfigReader does the checking and writes those texts, the same in every
// plugin:
//
//   * parse() reads the text; each accessor reads one key: absent gives
//     nothing, present but wrong throws ConfigError, right gives the value.
//   * Every accessor registers its key as known, present or not, and marks
//     it read. finish() then refuses the first key (in JSON order, which is
//     sorted) that nothing read: "unknown key 'x' (known: a, b, c)", the
//     known keys in the order they were asked. A typo should be an error,
//     not a silent default.
//   * mapping() reads a nested block as another reader whose texts say
//     "parent.key"; it has its own finish().
//
// Keys and values quoted in the texts go through warden::printable: control
// bytes escaped, long ones cut.
//
// OWNERSHIP: a reader owns a copy of its mapping; a nested reader owns a copy
// of its part, independent of its parent.
// THREADING: none; one thread at a time (a derive_desired_state call).
//
// Example, in a worker's derive_desired_state:
//
//   auto config = warden::kit::ConfigReader::parse(config_json, "at least `command`");
//   config.require("command", "the absolute path of the program to run");
//   d.command = *config.absolute_path("command");
//   d.args = config.string_list("args").value_or(std::vector<std::string>{});
//   d.env = config.env("env").value_or(std::map<std::string, std::string>{});
//   d.port = config.port("http_port").value_or(0);
//   d.log_level = config.one_of("log_level", {"OFF", "ERROR", "INFO"},
//                               warden::kit::Case::insensitive).value_or("INFO");
//   d.restart_ms = config.whole_number("restart_ms", warden::kit::WholeNumber(1000, 60000)
//                                          .or_also(0, "0 (never restart)")).value_or(5000);
//   config.finish();
#ifndef WARDEN_KIT_CONFIG_READER_HPP
#define WARDEN_KIT_CONFIG_READER_HPP

#include <warden/host_rules.hpp>
#include <warden/types.hpp>
#include <warden/validation.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace warden::kit {

/// The rule of a whole-number key: from min to max, and optionally one more
/// value outside that range which the plugin names in the text. A unit, when
/// given, is named too:
///   WholeNumber(1, 10)                         "must be a whole number from 1 to 10"
///   WholeNumber(1000, 60000).or_also(0, "0 (never restart)")
///                       "must be 0 (never restart) or a whole number from 1000 to 60000"
///   WholeNumber(0, 3600000).of("milliseconds")
///                       "must be a whole number of milliseconds from 0 to 3600000"
struct WholeNumber {
    uint64_t min;
    uint64_t max;
    std::optional<uint64_t> also;
    std::string also_words;
    std::string unit;

    WholeNumber(uint64_t min_value, uint64_t max_value) : min(min_value), max(max_value) {}
    /// Also accepts `value`, which the text calls `words`.
    WholeNumber &or_also(uint64_t value, std::string words) {
        also = value;
        also_words = std::move(words);
        return *this;
    }
    /// Names the unit: "a whole number of <unit> from ...".
    WholeNumber &of(std::string unit_words) {
        unit = std::move(unit_words);
        return *this;
    }
};

/// How one_of compares: exactly, or ignoring ASCII case.
enum class Case { exact, insensitive };

/// The shortest way to write `ms`: "1h", "5m", "30s" or "500ms".
inline std::string duration_text(uint64_t ms) {
    if (ms != 0 && ms % 3'600'000 == 0) return std::to_string(ms / 3'600'000) + "h";
    if (ms != 0 && ms % 60'000 == 0) return std::to_string(ms / 60'000) + "m";
    if (ms != 0 && ms % 1'000 == 0) return std::to_string(ms / 1'000) + "s";
    return std::to_string(ms) + "ms";
}

/// "500ms", "30s", "5m" or "1h" in milliseconds: digits then one unit, no
/// blanks; nothing when that is not what `text` is, or it overflows.
inline std::optional<uint64_t> parse_duration_ms(std::string_view text) {
    std::size_t i = 0;
    uint64_t number = 0;
    for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
        const auto digit = static_cast<uint64_t>(text[i] - '0');
        if (number > (std::numeric_limits<uint64_t>::max() - digit) / 10) return std::nullopt;
        number = number * 10 + digit;
    }
    if (i == 0) return std::nullopt;
    const std::string_view unit = text.substr(i);
    uint64_t scale = 0;
    if (unit == "ms") scale = 1;
    if (unit == "s") scale = 1'000;
    if (unit == "m") scale = 60'000;
    if (unit == "h") scale = 3'600'000;
    if (scale == 0 || number > std::numeric_limits<uint64_t>::max() / scale) return std::nullopt;
    return number * scale;
}

class ConfigReader {
public:
    /// Reads a config block. Throws ConfigError "config: not valid JSON", or
    /// "config: must be a mapping with <mapping_with>" when it is not an
    /// object (mapping_with: what the plugin needs, "at least `command`").
    static ConfigReader parse(std::string_view config_json, std::string_view mapping_with = {}) {
        nlohmann::json config = nlohmann::json::parse(config_json, nullptr, false);
        if (config.is_discarded()) throw ConfigError("config: not valid JSON");
        if (!config.is_object())
            throw ConfigError(mapping_with.empty()
                                  ? std::string("config: must be a mapping")
                                  : "config: must be a mapping with " + std::string(mapping_with));
        return ConfigReader(std::move(config));
    }

    /// A reader over `object` (a JSON object), whose texts begin with
    /// `prefix` ("supervisor." for a nested block; empty at the top).
    explicit ConfigReader(nlohmann::json object, std::string prefix = {})
        : object_(std::move(object)), prefix_(std::move(prefix)) {
        if (!object_.is_object()) {
            const std::string_view name =
                std::string_view(prefix_).substr(0, prefix_.empty() ? 0 : prefix_.size() - 1);
            throw ConfigError((name.empty() ? std::string("config") : printable(name)) +
                              ": must be a mapping");
        }
    }

    /// A string without NUL bytes.
    std::optional<std::string> string(std::string_view key) {
        const nlohmann::json *value = find(key);
        if (value == nullptr) return std::nullopt;
        return string_at(*value, where(key));
    }

    /// A string that begins with '/'.
    std::optional<std::string> absolute_path(std::string_view key) {
        std::optional<std::string> path = string(key);
        if (path && (path->empty() || (*path)[0] != '/'))
            fail(key, "must be an absolute path, got '" + printable(*path) + "'");
        return path;
    }

    /// A whole number from min to max.
    std::optional<uint64_t> whole_number(std::string_view key, uint64_t min, uint64_t max) {
        return whole_number(key, WholeNumber(min, max));
    }

    /// A whole number by `rule` (see WholeNumber for its texts).
    std::optional<uint64_t> whole_number(std::string_view key, const WholeNumber &rule) {
        const nlohmann::json *value = find(key);
        if (value == nullptr) return std::nullopt;
        if (value->is_number_unsigned()) {
            const auto n = value->get<uint64_t>();
            if ((n >= rule.min && n <= rule.max) || (rule.also && n == *rule.also)) return n;
        }
        std::string text = "must be ";
        if (rule.also) text += rule.also_words + " or ";
        text += "a whole number";
        if (!rule.unit.empty()) text += " of " + rule.unit;
        fail(key, text + " from " + std::to_string(rule.min) + " to " + std::to_string(rule.max));
    }

    /// A TCP port: a whole number from 1 to 65535.
    std::optional<uint32_t> port(std::string_view key) {
        const nlohmann::json *value = find(key);
        if (value == nullptr) return std::nullopt;
        if (value->is_number_unsigned() && value->get<uint64_t>() >= 1 &&
            value->get<uint64_t>() <= 65535)
            return static_cast<uint32_t>(value->get<uint64_t>());
        fail(key, "must be a port, a whole number from 1 to 65535");
    }

    /// A duration in milliseconds, from min_ms to max_ms: a whole number of
    /// milliseconds, or a string of digits and one unit ("500ms", "30s",
    /// "5m", "1h").
    std::optional<uint64_t> duration_ms(std::string_view key, uint64_t min_ms, uint64_t max_ms) {
        const nlohmann::json *value = find(key);
        if (value == nullptr) return std::nullopt;
        std::optional<uint64_t> ms;
        if (value->is_number_unsigned()) {
            ms = value->get<uint64_t>();
        } else if (value->is_string()) {
            ms = parse_duration_ms(value->get_ref<const std::string &>());
        }
        if (ms && *ms >= min_ms && *ms <= max_ms) return ms;
        fail(key, "must be a duration from " + duration_text(min_ms) + " to " +
                      duration_text(max_ms) +
                      ": a whole number of milliseconds, or a string such as \"500ms\", "
                      "\"30s\", \"5m\" or \"1h\"");
    }

    /// true or false.
    std::optional<bool> boolean(std::string_view key) {
        const nlohmann::json *value = find(key);
        if (value == nullptr) return std::nullopt;
        if (!value->is_boolean()) fail(key, "must be true or false");
        return value->get<bool>();
    }

    /// A string that is one of `choices`; gives the choice as spelled there.
    template <typename Choices>
    std::optional<std::string> one_of(std::string_view key, const Choices &choices,
                                      Case match = Case::exact) {
        std::optional<std::string> text = string(key);
        if (!text) return std::nullopt;
        std::string list;
        for (const auto &choice : choices) {
            const std::string_view c(choice);
            if (same(*text, c, match)) return std::string(c);
            if (!list.empty()) list += ", ";
            list += c;
        }
        fail(key, "'" + printable(*text) + "' is not one of " + list);
    }
    std::optional<std::string> one_of(std::string_view key,
                                      std::initializer_list<std::string_view> choices,
                                      Case match = Case::exact) {
        return one_of<std::initializer_list<std::string_view>>(key, choices, match);
    }

    /// A list of strings without NUL bytes.
    std::optional<std::vector<std::string>> string_list(std::string_view key) {
        const nlohmann::json *value = find(key);
        if (value == nullptr) return std::nullopt;
        if (!value->is_array()) fail(key, "must be a list of strings");
        std::vector<std::string> out;
        out.reserve(value->size());
        for (std::size_t i = 0; i < value->size(); ++i)
            out.push_back(string_at((*value)[i], where(key) + "[" + std::to_string(i) + "]"));
        return out;
    }

    /// Environment variables: a mapping of NAME ([A-Za-z_][A-Za-z0-9_]*) to
    /// a string without NUL bytes.
    std::optional<std::map<std::string, std::string>> env(std::string_view key) {
        const nlohmann::json *value = find(key);
        if (value == nullptr) return std::nullopt;
        if (!value->is_object()) fail(key, "must be a mapping of NAME: value");
        std::map<std::string, std::string> out;
        for (const auto &[name, setting] : value->items()) {
            if (!rules::valid_env_name(name))
                fail(key,
                     "'" + printable(name) + "' is not a variable name ([A-Za-z_][A-Za-z0-9_]*)");
            out.emplace(name, string_at(setting, where(std::string(key) + "." + name)));
        }
        return out;
    }

    /// A nested mapping, as a reader whose texts say "key.inner". Call its
    /// finish() too.
    std::optional<ConfigReader> mapping(std::string_view key) {
        const nlohmann::json *value = find(key);
        if (value == nullptr) return std::nullopt;
        if (!value->is_object()) fail(key, "must be a mapping");
        return ConfigReader(*value, prefix_ + std::string(key) + ".");
    }

    /// The value as it is, for a section the plugin passes on untouched or
    /// checks itself (with fail() for its texts).
    std::optional<nlohmann::json> raw(std::string_view key) {
        const nlohmann::json *value = find(key);
        if (value == nullptr) return std::nullopt;
        return *value;
    }

    /// Whether `key` is there (registering it as known, and read).
    bool has(std::string_view key) { return find(key) != nullptr; }

    /// Refuses a config without `key`: "key: required, <what>".
    void require(std::string_view key, std::string_view what) {
        if (find(key) == nullptr) fail(key, "required, " + std::string(what));
    }

    /// Refuses the first key nothing read: "unknown key 'x' (known: a, b)".
    void finish() const {
        for (const auto &entry : object_.items()) {
            if (std::find(known_.begin(), known_.end(), entry.key()) != known_.end()) continue;
            std::string list;
            for (const std::string &k : known_) list += (list.empty() ? "" : ", ") + printable(k);
            throw ConfigError("unknown key '" + printable(prefix_ + entry.key()) +
                              "' (known: " + (list.empty() ? std::string("none") : list) + ")");
        }
    }

    /// How the texts name `key`: the prefix, then the key, printable.
    std::string where(std::string_view key) const { return printable(prefix_ + std::string(key)); }

    /// Throws ConfigError "<where(key)>: <problem>", for a plugin's own checks.
    [[noreturn]] void fail(std::string_view key, const std::string &problem) const {
        throw ConfigError(where(key) + ": " + problem);
    }

    /// The mapping read.
    const nlohmann::json &json() const noexcept { return object_; }

private:
    // The value at `key`, or nullptr; the key is known and read either way.
    const nlohmann::json *find(std::string_view key) {
        std::string name(key);
        if (std::find(known_.begin(), known_.end(), name) == known_.end()) known_.push_back(name);
        const auto it = object_.find(name);
        return it == object_.end() ? nullptr : &*it;
    }

    static std::string string_at(const nlohmann::json &value, const std::string &where) {
        if (!value.is_string()) throw ConfigError(where + ": must be a string");
        const auto &text = value.get_ref<const std::string &>();
        if (text.find('\0') != std::string::npos)
            throw ConfigError(where + ": must not contain a NUL byte");
        return text;
    }

    static bool same(std::string_view a, std::string_view b, Case match) noexcept {
        if (match == Case::exact || a.size() != b.size()) return a == b;
        const auto lower = [](char c) {
            return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
        };
        for (std::size_t i = 0; i < a.size(); ++i)
            if (lower(a[i]) != lower(b[i])) return false;
        return true;
    }

    nlohmann::json object_;
    std::string prefix_;
    std::vector<std::string> known_;  // in the order asked
};

}  // namespace warden::kit

#endif  // WARDEN_KIT_CONFIG_READER_HPP
