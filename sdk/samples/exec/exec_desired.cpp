// exec_desired.cpp — checking a config and deriving the desired state.
//
// derive_desired_state is the plugin's one chance to refuse a config before
// anything runs: `warden --check-config` calls it, and so does every reload.
// So every check lives here, and every error names the key and says what is
// wrong with it. The JSON library is the plugin's own choice (nlohmann/json
// here); the SDK only moves text.
#include "exec_desired.hpp"

#include <nlohmann/json.hpp>

#include <cstdio>

namespace exec_sample {
namespace {

using nlohmann::json;

// A duration longer than this is surely a typo for seconds.
constexpr uint64_t kMaxStableAfterMs = 3'600'000;

bool valid_env_name(std::string_view name) {
    if (name.empty()) return false;
    for (size_t i = 0; i < name.size(); ++i) {
        const char c = name[i];
        const bool alpha = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
        if (!alpha && !(i > 0 && c >= '0' && c <= '9')) return false;
    }
    return true;
}

bool has_nul(std::string_view text) {
    return text.find('\0') != std::string_view::npos;
}

// The string at config[key], refused unless it is a string without NUL bytes.
std::string string_at(const json &value, const std::string &where) {
    if (!value.is_string()) throw warden::ConfigError(where + ": must be a string");
    auto text = value.get<std::string>();
    if (has_nul(text)) throw warden::ConfigError(where + ": must not contain a NUL byte");
    return text;
}

std::string absolute_path_at(const json &value, const std::string &where) {
    std::string path = string_at(value, where);
    if (path.empty() || path[0] != '/')
        throw warden::ConfigError(where + ": must be an absolute path, got '" + path + "'");
    return path;
}

}  // namespace

// from_config shows the checks a derive hook makes: the shape of the config,
// each key's type, no unknown keys (a typo should be an error, not a silent
// default), and values the service can actually use. It throws
// warden::ConfigError; the wrapper turns that into WARDEN_ERR_INVALID_ARGUMENT
// and the message reaches the user through set_error.
ExecDesired ExecDesired::from_config(const warden::Identity &identity,
                                     std::string_view config_json) {
    const json config = json::parse(config_json, nullptr, /*allow_exceptions=*/false);
    if (config.is_discarded()) throw warden::ConfigError("config: not valid JSON");
    if (!config.is_object())
        throw warden::ConfigError("config: must be a mapping with at least `command`");

    ExecDesired d;
    d.service = identity.service_name();
    for (const auto &[key, value] : config.items()) {
        if (key == "command") {
            d.command = absolute_path_at(value, "command");
        } else if (key == "args") {
            if (!value.is_array()) throw warden::ConfigError("args: must be a list of strings");
            for (size_t i = 0; i < value.size(); ++i)
                d.args.push_back(string_at(value[i], "args[" + std::to_string(i) + "]"));
        } else if (key == "env") {
            if (!value.is_object())
                throw warden::ConfigError("env: must be a mapping of NAME: value");
            for (const auto &[name, setting] : value.items()) {
                if (!valid_env_name(name))
                    throw warden::ConfigError("env: '" + name +
                                              "' is not a variable name ([A-Za-z_][A-Za-z0-9_]*)");
                d.env[name] = string_at(setting, "env." + name);
            }
        } else if (key == "working_dir") {
            d.working_dir = absolute_path_at(value, "working_dir");
        } else if (key == "stable_after_ms") {
            if (!value.is_number_unsigned() || value.get<uint64_t>() > kMaxStableAfterMs)
                throw warden::ConfigError(
                    "stable_after_ms: must be a whole number of "
                    "milliseconds from 0 to 3600000");
            d.stable_after_ms = value.get<uint32_t>();
        } else {
            throw warden::ConfigError("unknown key '" + key +
                                      "' (known: command, args, env, working_dir, "
                                      "stable_after_ms)");
        }
    }
    if (d.command.empty())
        throw warden::ConfigError("command: required, the absolute path of the program to run");
    return d;
}

// to_json writes the desired document. nlohmann's objects keep their keys
// sorted, so the same desired state always gives the same bytes: the host can
// compare documents, and fingerprint() is stable across host restarts.
std::string ExecDesired::to_json() const {
    json out = {
        {"service", service}, {"command", command},         {"args", args},
        {"env", env},         {"working_dir", working_dir}, {"stable_after_ms", stable_after_ms}};
    return out.dump();
}

// from_json reads the document back. It was written by to_json, so it is
// trusted: a missing key simply keeps its default.
ExecDesired ExecDesired::from_json(std::string_view desired_json) {
    const json in = json::parse(desired_json, nullptr, /*allow_exceptions=*/false);
    if (!in.is_object())
        throw warden::Error(WARDEN_ERR_INVALID_ARGUMENT, "desired state: not a JSON object");
    ExecDesired d;
    d.service = in.value("service", "");
    d.command = in.value("command", "");
    d.args = in.value("args", std::vector<std::string>{});
    d.env = in.value("env", std::map<std::string, std::string>{});
    d.working_dir = in.value("working_dir", "");
    d.stable_after_ms = in.value("stable_after_ms", 1000u);
    return d;
}

// fingerprint is a 64-bit FNV-1a hash of the desired document, in hex. The
// worker remembers the fingerprint of what it deployed, so a state can see
// "the config changed" by comparing two short strings.
std::string ExecDesired::fingerprint() const {
    uint64_t hash = 0xcbf29ce484222325ull;
    for (const unsigned char c : to_json()) {
        hash ^= c;
        hash *= 0x100000001b3ull;
    }
    char text[17];
    std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(hash));
    return text;
}

// service_spec turns the desired state into what s6 runs. argv and env go to
// the host as separate strings, never through a shell, so spaces, quotes and
// `$` reach the program exactly as written in the config.
warden::ServiceSpec ExecDesired::service_spec() const {
    warden::ServiceSpec spec;
    spec.name = service;
    spec.argv.push_back(command);
    spec.argv.insert(spec.argv.end(), args.begin(), args.end());
    for (const auto &[name, value] : env) spec.env.push_back(name + "=" + value);
    spec.working_dir = working_dir;
    // Zero fields take the host's defaults: SIGTERM to stop, SIGKILL 10 s
    // later if the program ignores it, s6-log keeping 10 files of 1 MB.
    return spec;
}

}  // namespace exec_sample
