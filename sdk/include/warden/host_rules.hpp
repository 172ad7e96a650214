// SPDX-License-Identifier: Apache-2.0
// warden/host_rules.hpp — the rules the host applies to every host service a
// plugin calls, written once for the host and the SDK's fake host.
//
// Warden's host (its services table) and the fake host
// (warden/testing/fake_host.hpp) both call these functions before they do
// anything else with a call, so a plugin meets the same refusals, with the
// same status and the same words, in its own unit tests as on the host:
//
//   texts       how much of a log message, error text and reason is kept
//   documents   the JSON sink's bound, and the one-JSON-object check of a
//               desired or observed state (valid UTF-8, bounded depth)
//   scope       which worker owns which service name (ServiceScope)
//   services    specs, control commands and signals, remove flags, log reads
//   accounts    the user and group a service runs as: names, the host's
//               default, existence (looked up by the caller's directory),
//               and what only a host running as root may do
//   HTTP        the probe's request, timeout and port scope
//   ports       who may reserve, and which purposes and ports
//   commands    the command struct, its program and files, its timeout
//   figures     who may publish, each field of a figure, and the book of
//               published series (FigureBook): one kind, help and label
//               name per name in a worker type, the per-worker limit
//
// The numbers are plugin.h's WARDEN_MAX_* / WARDEN_DEFAULT_* macros. What
// happens after a call passes these rules (s6, a socket, a process) is each
// host's own. See docs/plugin-interface.md for the policies [WP-...].
// Nothing here reads the machine: whether a user or group exists is asked of
// an AccountDirectory the caller hands in (the host's reads the machine's
// account database, a test's plays one).
//
// THREADING: pure functions, callable from any thread; a ServiceScope and a
// FigureBook are thread-safe; settle_service_account is as thread-safe as
// its directory.
#ifndef WARDEN_HOST_RULES_HPP
#define WARDEN_HOST_RULES_HPP

#include <warden/plugin.h>
#include <warden/validation.hpp>

#include <signal.h>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace warden::rules {

/// What a host service answers when a rule refuses the call: its status and
/// the text it leaves for last_service_error. A default Refusal is no
/// refusal (WARDEN_OK, no text).
struct Refusal {
    warden_status status = WARDEN_OK;
    std::string text;

    bool refused() const noexcept { return status != WARDEN_OK; }
    explicit operator bool() const noexcept { return refused(); }
};

inline Refusal refuse(warden_status status, std::string text) {
    return Refusal{status, std::move(text)};
}

/// A view of a warden_str; a NULL pointer reads as empty.
inline std::string_view text_of(warden_str s) noexcept {
    return s.ptr == nullptr || s.len == 0 ? std::string_view() : std::string_view(s.ptr, s.len);
}

// ---- texts -------------------------------------------------------------------

/// What log_write logs of `message`: one line, control and non-ASCII bytes
/// as \xNN, at most WARDEN_MAX_TEXT_BYTES of it.
inline std::string log_text(std::string_view message) {
    return printable(message, WARDEN_MAX_TEXT_BYTES);
}

/// What set_error keeps of `message`: its first WARDEN_MAX_TEXT_BYTES bytes.
inline std::string error_text(std::string_view message) {
    return std::string(message.substr(0, WARDEN_MAX_TEXT_BYTES));
}

/// What the host keeps of a decision's reason: one line, escaped, at most
/// WARDEN_MAX_REASON_BYTES of it.
inline std::string reason_text(std::string_view reason) {
    return printable(reason, WARDEN_MAX_REASON_BYTES);
}

// ---- JSON documents ------------------------------------------------------------

/// Why a text is not a document the host keeps.
enum class JsonProblem {
    none,        ///< one JSON object
    empty,       ///< nothing but white space
    not_object,  ///< valid JSON, or the start of it, but not an object
    too_deep,    ///< objects and arrays nested past WARDEN_MAX_JSON_DEPTH
    invalid,     ///< not JSON (UTF-8 included)
};

namespace rules_detail {

// The length of the UTF-8 sequence of two to four bytes at text[i] when it
// is a valid one (RFC 3629: no overlong forms, no surrogates, nothing past
// U+10FFFF), else 0. `c1_controls`: U+0080-U+009F count as invalid too.
inline std::size_t utf8_sequence(std::string_view text, std::size_t i, bool c1_controls = false) {
    const unsigned char lead = static_cast<unsigned char>(text[i]);
    std::size_t more = 0;
    unsigned char low = 0x80, high = 0xbf;  // the range of the second byte
    if (lead >= 0xc2 && lead <= 0xdf) {
        more = 1;
        if (c1_controls && lead == 0xc2) low = 0xa0;
    } else if (lead >= 0xe0 && lead <= 0xef) {
        more = 2;
        if (lead == 0xe0) low = 0xa0;   // overlong
        if (lead == 0xed) high = 0x9f;  // surrogates
    } else if (lead >= 0xf0 && lead <= 0xf4) {
        more = 3;
        if (lead == 0xf0) low = 0x90;   // overlong
        if (lead == 0xf4) high = 0x8f;  // past U+10FFFF
    } else {
        return 0;
    }
    if (text.size() - i - 1 < more) return 0;
    for (std::size_t k = 1; k <= more; ++k) {
        const unsigned char c = static_cast<unsigned char>(text[i + k]);
        if (k == 1 ? (c < low || c > high) : (c < 0x80 || c > 0xbf)) return 0;
    }
    return more + 1;
}

// A strict RFC 8259 recogniser for one JSON value, without recursion: the
// open objects and arrays are a fixed stack of WARDEN_MAX_JSON_DEPTH, so no
// input can overflow the call stack. It accepts what a full JSON parser
// accepts and can write out again: strings of valid UTF-8 (RFC 3629: no
// overlong forms, no surrogates, nothing past U+10FFFF), a \u escape of a
// surrogate only as a high one followed by a low one, and numbers a double
// holds (one that would overflow to infinity is refused; one too small for a
// double reads as zero).
class JsonRecogniser {
public:
    explicit JsonRecogniser(std::string_view text) : s_(text) {}

    JsonProblem check() {
        space();
        if (at_end()) return JsonProblem::empty;
        if (peek() != '{') return JsonProblem::not_object;
        if (!value()) return too_deep_ ? JsonProblem::too_deep : JsonProblem::invalid;
        space();
        return at_end() ? JsonProblem::none : JsonProblem::invalid;
    }

private:
    enum Frame : char { in_object = '{', in_array = '[' };

    bool at_end() const { return i_ >= s_.size(); }
    char peek() const { return s_[i_]; }
    unsigned char byte() const { return static_cast<unsigned char>(s_[i_]); }
    bool eat(char c) {
        if (at_end() || peek() != c) return false;
        ++i_;
        return true;
    }
    void space() {
        while (!at_end() && (peek() == ' ' || peek() == '\t' || peek() == '\n' || peek() == '\r'))
            ++i_;
    }
    bool digits() {
        const std::size_t start = i_;
        while (!at_end() && peek() >= '0' && peek() <= '9') ++i_;
        return i_ > start;
    }
    bool literal(std::string_view word) {
        if (s_.substr(i_, word.size()) != word) return false;
        i_ += word.size();
        return true;
    }
    bool number() {
        const std::size_t start = i_;
        eat('-');
        const std::size_t int_start = i_;
        if (!eat('0') && !digits()) return false;
        const std::size_t int_end = i_;
        std::size_t frac_start = i_, frac_end = i_;
        if (eat('.')) {
            frac_start = i_;
            if (!digits()) return false;
            frac_end = i_;
        }
        long long exponent = 0;
        if (!at_end() && (peek() == 'e' || peek() == 'E')) {
            ++i_;
            bool negative = false;
            if (!eat('+')) negative = eat('-');
            const std::size_t exp_start = i_;
            if (!digits()) return false;
            for (std::size_t k = exp_start; k < i_ && exponent < kExponentCap; ++k)
                exponent = exponent * 10 + (s_[k] - '0');
            if (negative) exponent = -exponent;
        }
        return finite(start, int_start, int_end, frac_start, frac_end, exponent);
    }
    // Whether the number at [start, i_) is finite as a double. Its decimal
    // magnitude (the power of ten of its first non-zero digit) decides but at
    // 308, where DBL_MAX lies: there strtod does, on a copy.
    bool finite(std::size_t start, std::size_t int_start, std::size_t int_end,
                std::size_t frac_start, std::size_t frac_end, long long exponent) const {
        long long magnitude = 0;
        bool nonzero = false;
        for (std::size_t k = int_start; k < int_end && !nonzero; ++k)
            if (s_[k] != '0') {
                nonzero = true;
                magnitude = static_cast<long long>(int_end - 1 - k) + exponent;
            }
        for (std::size_t k = frac_start; k < frac_end && !nonzero; ++k)
            if (s_[k] != '0') {
                nonzero = true;
                magnitude = exponent - static_cast<long long>(k - frac_start + 1);
            }
        if (!nonzero || magnitude < 308) return true;
        if (magnitude > 308) return false;
        const std::string text(s_.substr(start, i_ - start));
        return std::isfinite(std::strtod(text.c_str(), nullptr));
    }
    // Four hex digits after \u, as a code unit; -1 when they are not.
    long hex4() {
        long unit = 0;
        for (int k = 0; k < 4; ++k, ++i_) {
            if (at_end()) return -1;
            const char c = peek();
            const int digit = c >= '0' && c <= '9'   ? c - '0'
                              : c >= 'a' && c <= 'f' ? c - 'a' + 10
                              : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                                     : -1;
            if (digit < 0) return -1;
            unit = unit * 16 + digit;
        }
        return unit;
    }
    bool escape() {
        if (at_end()) return false;
        const char e = peek();
        ++i_;
        if (e != 'u') return std::string_view("\"\\/bfnrt").find(e) != std::string_view::npos;
        const long unit = hex4();
        if (unit < 0 || (unit >= 0xdc00 && unit <= 0xdfff)) return false;
        if (unit < 0xd800 || unit > 0xdbff) return true;
        // A high surrogate: a low one must follow.
        if (!eat('\\') || !eat('u')) return false;
        const long low = hex4();
        return low >= 0xdc00 && low <= 0xdfff;
    }
    // One UTF-8 sequence of two to four bytes, its lead byte at i_.
    bool utf8() {
        const std::size_t length = utf8_sequence(s_, i_);
        i_ += length;
        return length != 0;
    }
    bool string() {
        if (!eat('"')) return false;
        while (!at_end()) {
            const unsigned char c = byte();
            if (c == '"') {
                ++i_;
                return true;
            }
            if (c < 0x20) return false;
            if (c == '\\') {
                ++i_;
                if (!escape()) return false;
            } else if (c >= 0x80) {
                if (!utf8()) return false;
            } else {
                ++i_;
            }
        }
        return false;
    }
    bool open(Frame frame) {
        if (depth_ == WARDEN_MAX_JSON_DEPTH) {
            too_deep_ = true;
            return false;
        }
        stack_[depth_++] = frame;
        ++i_;
        return true;
    }
    // A scalar, or the opening of an object or array (then `opened`).
    bool begin_value(bool &opened) {
        space();
        opened = false;
        if (at_end()) return false;
        switch (peek()) {
            case '{': opened = true; return open(in_object);
            case '[': opened = true; return open(in_array);
            case '"': return string();
            case 't': return literal("true");
            case 'f': return literal("false");
            case 'n': return literal("null");
            default: return number();
        }
    }
    // A key and its colon, inside an object.
    bool key() {
        space();
        if (!string()) return false;
        space();
        return eat(':');
    }
    // The whole value at i_, one open object or array at a time.
    bool value() {
        bool opened = false;
        if (!begin_value(opened)) return false;
        // Right after an opening: it may close at once, or holds a first member.
        bool just_opened = opened;
        while (depth_ > 0) {
            const Frame frame = static_cast<Frame>(stack_[depth_ - 1]);
            const char close = frame == in_object ? '}' : ']';
            space();
            if (just_opened) {
                just_opened = false;
                if (eat(close)) {
                    --depth_;
                    continue;
                }
            } else {
                if (eat(close)) {
                    --depth_;
                    continue;
                }
                if (!eat(',')) return false;
            }
            if (frame == in_object && !key()) return false;
            if (!begin_value(opened)) return false;
            just_opened = opened;
        }
        return true;
    }

    static constexpr long long kExponentCap = 1'000'000'000'000;  // far past any double

    std::string_view s_;
    std::size_t i_ = 0;
    char stack_[WARDEN_MAX_JSON_DEPTH] = {};
    std::size_t depth_ = 0;
    bool too_deep_ = false;
};

}  // namespace rules_detail

/// Whether `text` is one JSON object the host keeps: nothing but white space
/// around it, valid UTF-8, nested at most WARDEN_MAX_JSON_DEPTH deep.
inline JsonProblem json_object_problem(std::string_view text) {
    return rules_detail::JsonRecogniser(text).check();
}

inline bool is_json_object(std::string_view text) {
    return json_object_problem(text) == JsonProblem::none;
}

/// json_sink_write: appends `text` to `document`, or says why not (a NULL
/// sink or text, or a document past WARDEN_MAX_JSON_BYTES).
inline Refusal append_json(std::string *document, warden_str text) {
    if (document == nullptr || (text.ptr == nullptr && text.len != 0))
        return refuse(WARDEN_ERR_INVALID_ARGUMENT, "json_sink_write: NULL sink or text");
    if (text.len > WARDEN_MAX_JSON_BYTES - document->size())
        return refuse(WARDEN_ERR_INVALID_ARGUMENT,
                      "json_sink_write: the document would pass " +
                          std::to_string(WARDEN_MAX_JSON_BYTES / (1024 * 1024)) + " MiB");
    document->append(text_of(text));
    return {};
}

/// Appends `text` to `out` as a JSON string, quotes included: the bytes
/// nlohmann's dump() writes for it with ensure_ascii off (`"` `\` and
/// control characters escaped, the short escapes where JSON has them,
/// \u00xx for the rest, valid UTF-8 kept as it is), except that a byte that
/// begins no valid UTF-8 sequence is written as U+FFFD, never refused: any
/// text, a plugin's included, makes valid JSON. For a document written
/// without a tree (the kit's observed state, the host's status report).
inline void append_json_string(std::string &out, std::string_view text) {
    static constexpr char kHex[] = "0123456789abcdef";
    out.push_back('"');
    std::size_t plain = 0;  // start of the bytes not yet appended, all written as they are
    std::size_t i = 0;
    const auto flush = [&] { out.append(text.data() + plain, i - plain); };
    while (i < text.size()) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c >= 0x20 && c != '"' && c != '\\' && c < 0x80) {
            ++i;
            continue;
        }
        if (c >= 0x80) {
            const std::size_t length = rules_detail::utf8_sequence(text, i);
            if (length > 0) {
                i += length;
                continue;
            }
            flush();
            out.append("\xef\xbf\xbd");  // U+FFFD for a byte that begins no sequence
            plain = ++i;
            continue;
        }
        flush();
        switch (c) {
            case '"': out.append("\\\""); break;
            case '\\': out.append("\\\\"); break;
            case '\b': out.append("\\b"); break;
            case '\f': out.append("\\f"); break;
            case '\n': out.append("\\n"); break;
            case '\r': out.append("\\r"); break;
            case '\t': out.append("\\t"); break;
            default:
                out.append("\\u00");
                out.push_back(kHex[c >> 4]);
                out.push_back(kHex[c & 0xf]);
        }
        plain = ++i;
    }
    flush();
    out.push_back('"');
}

/// Why the document `hook` wrote is not one the host keeps; empty when it is.
/// The host puts the worker type and plugin before it, as before every hook
/// failure.
inline std::string document_problem(std::string_view hook, std::string_view text) {
    if (json_object_problem(text) == JsonProblem::none) return {};
    return std::string(hook) + " wrote no JSON object (of at most " +
           std::to_string(WARDEN_MAX_JSON_DEPTH) + " levels): '" + printable(text) + "'";
}

// ---- callers -------------------------------------------------------------------

/// Who calls a host service, as a host knows it: a worker (type and name
/// set) or a plugin (both empty). `label` is "exec/web" or "plugin exec".
struct Caller {
    std::string_view label;
    std::string_view type;
    std::string_view name;

    bool is_worker() const noexcept { return !type.empty(); }
    /// "<type>-<name>": the worker's own service, and the prefix of the rest.
    std::string own_service() const {
        std::string own;
        own.reserve(type.size() + name.size() + 1);
        own.append(type).append("-").append(name);
        return own;
    }
};

// ---- service names and scope [WP-SVC-1] ----------------------------------------

/// An invalid service name, quoted.
inline Refusal service_name_problem(std::string_view name) {
    if (valid_service_name(name)) return {};
    return refuse(WARDEN_ERR_INVALID_ARGUMENT, "invalid service name '" + printable(name, 80) +
                                                   "': names are [a-z0-9][a-z0-9_-]{0,63}");
}

/// Whether `service` is `owner` itself or one of its "<owner>-*" services.
inline bool within(std::string_view service, std::string_view owner) {
    return service.size() >= owner.size() && service.compare(0, owner.size(), owner) == 0 &&
           (service.size() == owner.size() || service[owner.size()] == '-');
}

/// The refusal a context that offers no service operation gives (one the host
/// made for derive_desired_state or check_config, or a worker it made
/// without a scan dir).
inline Refusal no_services() {
    return refuse(WARDEN_ERR_UNSUPPORTED,
                  "service operations need a scan dir, and this caller has none (a plugin's own "
                  "context, or a worker made without one)");
}

/// The workers that exist, and so which one owns each service name: a worker
/// of type T named X owns T-X and T-X-*, except what a worker with a longer
/// name owns (with workers web and web-2, exec-web-2 and exec-web-2-db are
/// web-2's, not web's).
/// THREADING: every method is thread-safe.
class ServiceScope {
public:
    ServiceScope() = default;
    ServiceScope(const ServiceScope &) = delete;
    ServiceScope &operator=(const ServiceScope &) = delete;

    /// A worker exists from attach to detach; attaching one twice needs two
    /// detaches. `type` is a worker type's name ([a-z][a-z0-9_]{0,31}, no
    /// dash) and `name` not empty, as every worker's are: owner() relies on it.
    void attach(std::string type, std::string name) {
        std::lock_guard<std::mutex> lock(mutex_);
        workers_.emplace(std::move(type), std::move(name));
    }
    void detach(const std::string &type, const std::string &name) {
        std::lock_guard<std::mutex> lock(mutex_);
        const auto it = workers_.find({type, name});
        if (it != workers_.end()) workers_.erase(it);
    }

    /// Whether `caller` may touch the service (or list the prefix) `name`:
    /// a valid name, a worker, its own prefix, and no worker with a longer
    /// name owning it.
    Refusal admit(const Caller &caller, std::string_view name) const {
        if (Refusal bad = service_name_problem(name)) return bad;
        if (!caller.is_worker())
            return refuse(WARDEN_ERR_NOT_PERMITTED, "service '" + std::string(name) +
                                                        "': " + std::string(caller.label) +
                                                        " is a plugin, not a worker; only "
                                                        "workers own services");
        const std::string own = caller.own_service();
        if (!within(name, own))
            return refuse(WARDEN_ERR_NOT_PERMITTED,
                          "service '" + std::string(name) + "' is outside the scope of " +
                              std::string(caller.label) + " (" + own + ", " + own + "-*)");
        // Workers of the type whose name begins with the caller's and a dash,
        // found in the sorted set without a walk over every worker.
        const std::string longer = std::string(caller.name) + "-";
        const std::string type(caller.type);
        std::lock_guard<std::mutex> lock(mutex_);
        for (auto it = workers_.lower_bound({type, longer});
             it != workers_.end() && it->first == type &&
             it->second.compare(0, longer.size(), longer) == 0;
             ++it)
            if (within(name, it->first + "-" + it->second))
                return refuse(WARDEN_ERR_NOT_PERMITTED,
                              "service '" + std::string(name) + "' belongs to worker " + it->first +
                                  "/" + it->second + ", not to " + std::string(caller.label));
        return {};
    }

    /// The worker (type, name) that owns `service`, if any: the one with the
    /// longest matching prefix. A type's name has no dash, so the type is
    /// what comes before the first one, and the name one of the dash-ended
    /// prefixes of the rest: each is looked up, the longest first, rather
    /// than every worker walked.
    std::optional<std::pair<std::string, std::string>> owner(std::string_view service) const {
        const std::size_t dash = service.find('-');
        if (dash == std::string_view::npos || dash == 0) return std::nullopt;
        std::pair<std::string, std::string> key(service.substr(0, dash), std::string());
        std::lock_guard<std::mutex> lock(mutex_);
        for (std::size_t end = service.size(); end > dash + 1; end = service.rfind('-', end - 1)) {
            key.second.assign(service.substr(dash + 1, end - dash - 1));
            if (workers_.count(key) != 0) return key;
        }
        return std::nullopt;
    }

private:
    mutable std::mutex mutex_;
    std::multiset<std::pair<std::string, std::string>> workers_;  // (type, name)
};

// ---- service values [WP-SVC-2, WP-ABI-6] ------------------------------------------

/// Whether `name` may name an environment variable of a service:
/// [A-Za-z_][A-Za-z0-9_]*.
inline bool valid_env_name(std::string_view name) {
    if (name.empty()) return false;
    for (std::size_t i = 0; i < name.size(); ++i) {
        const char c = name[i];
        const bool alpha = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
        if (!alpha && !(i > 0 && c >= '0' && c <= '9')) return false;
    }
    return true;
}

/// Whether `path` may name a file of a service or a command: relative, at
/// most WARDEN_MAX_FILE_PATH_BYTES, without "..", "." or empty parts, and
/// without control bytes.
inline bool valid_data_path(std::string_view path) {
    if (path.empty() || path.front() == '/' || path.size() > WARDEN_MAX_FILE_PATH_BYTES)
        return false;
    for (const char c : path)
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return false;
    for (std::size_t start = 0; start <= path.size();) {
        std::size_t end = path.find('/', start);
        if (end == std::string_view::npos) end = path.size();
        const std::string_view part = path.substr(start, end - start);
        if (part.empty() || part == "." || part == "..") return false;
        start = end + 1;
    }
    return true;
}

/// The spec's zero fields given their defaults.
inline int32_t down_signal_or_default(int32_t signal_number) {
    return signal_number == 0 ? WARDEN_DEFAULT_DOWN_SIGNAL : signal_number;
}
inline uint32_t kill_timeout_or_default(uint32_t ms) {
    return ms == 0 ? WARDEN_DEFAULT_KILL_TIMEOUT_MS : ms;
}
inline uint32_t log_files_or_default(uint32_t files) {
    return files == 0 ? WARDEN_DEFAULT_LOG_FILES : files;
}
inline uint64_t log_file_bytes_or_default(uint64_t bytes) {
    return bytes == 0 ? WARDEN_DEFAULT_LOG_FILE_BYTES : bytes;
}
inline uint32_t file_mode_or_default(uint32_t mode) {
    return mode == 0 ? WARDEN_DEFAULT_FILE_MODE : mode;
}

namespace rules_detail {

inline bool has_nul(std::string_view s) {
    return s.find('\0') != std::string_view::npos;
}

#define WARDEN_RULES_SIZE_THROUGH(type, field) (offsetof(type, field) + sizeof(((type *)0)->field))
inline constexpr std::size_t kSpecSizeV1_0 =
    WARDEN_RULES_SIZE_THROUGH(warden_service_spec, log_max_file_bytes);
inline constexpr std::size_t kSpecSizeV1_4 = WARDEN_RULES_SIZE_THROUGH(warden_service_spec, group);
inline constexpr std::size_t kFileSizeV1_0 = WARDEN_RULES_SIZE_THROUGH(warden_service_file, mode);
inline constexpr std::size_t kHttpRequestSizeV1_0 =
    WARDEN_RULES_SIZE_THROUGH(warden_http_request, timeout_ms);
inline constexpr std::size_t kCommandSizeV1_2 =
    WARDEN_RULES_SIZE_THROUGH(warden_command, timeout_ms);
#undef WARDEN_RULES_SIZE_THROUGH

}  // namespace rules_detail

// ---- service accounts: names [WP-SVC-3] -------------------------------------------

/// A spec's user (ABI 1.4), read only within its struct_size: a 1.3 spec has
/// none, and its bytes past struct_size are never touched [WP-ABI-3].
inline std::string_view spec_user(const warden_service_spec &c) noexcept {
    return WARDEN_HAS_FIELD(&c, warden_service_spec, user) ? text_of(c.user) : std::string_view();
}

/// A spec's group (ABI 1.4), likewise.
inline std::string_view spec_group(const warden_service_spec &c) noexcept {
    return WARDEN_HAS_FIELD(&c, warden_service_spec, group) ? text_of(c.group) : std::string_view();
}

/// Whether `name` may name a user or group: 1 to `max_bytes` of the POSIX
/// portable set [A-Za-z0-9._-], not beginning with '-' (it would read as an
/// option), and not all digits (a name, never a numeric id).
inline bool valid_account_name(std::string_view name, std::size_t max_bytes) noexcept {
    if (name.empty() || name.size() > max_bytes || name.front() == '-') return false;
    bool digits_only = true;
    for (const char c : name) {
        const bool digit = c >= '0' && c <= '9';
        const bool letter = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
        if (!digit && !letter && c != '.' && c != '_' && c != '-') return false;
        digits_only = digits_only && digit;
    }
    return !digits_only;
}

/// Why `value` is not a user name (or, with `group`, a group name), in
/// words: "'x y' is not a user name: 1 to 32 of the characters ..."; empty
/// when it is one, or is empty (no name: the default). The value is escaped
/// and cut.
inline std::string account_name_problem(std::string_view value, bool group) {
    const std::size_t max = group ? WARDEN_MAX_GROUP_NAME_BYTES : WARDEN_MAX_USER_NAME_BYTES;
    if (value.empty() || valid_account_name(value, max)) return {};
    return "'" + printable(value, 2 * max) + "' is not a " + (group ? "group" : "user") +
           " name: 1 to " + std::to_string(max) +
           " of the characters A-Z a-z 0-9 . _ -, not beginning with '-'; a name, not a numeric "
           "id";
}

/// The same, naming the field first ("user", "group", or a config key such
/// as "service_user"): "user 'x y' is not a user name: ...".
inline std::string account_field_problem(std::string_view field, std::string_view value,
                                         bool group) {
    std::string problem = account_name_problem(value, group);
    return problem.empty() ? problem : std::string(field) + " " + problem;
}

/// Why service_create refuses `spec`, checked field by field within its
/// struct_size, defaults applied: the struct and its arrays, unknown flags
/// (unsupported), then what it asks for — an absolute program, no NUL bytes,
/// NAME=value environment entries, an absolute working directory, relative
/// file paths with permission bits, a notification fd from 3 to 1023, a
/// signal, s6-log's limits, user and group names (ABI 1.4; within
/// struct_size only). The name is the scope's to check; who the service runs
/// as is settle_service_account's.
inline Refusal service_spec_problem(const warden_service_spec &c) {
    using namespace rules_detail;
    const auto refused = [](const char *what) {
        return refuse(WARDEN_ERR_INVALID_ARGUMENT, std::string("service spec: ") + what);
    };
    if (c.struct_size < kSpecSizeV1_0) return refused("struct_size is smaller than ABI 1.0's");
    if ((c.flags & ~WARDEN_SPEC_START_DOWN) != 0)
        return refuse(
            WARDEN_ERR_UNSUPPORTED,
            "service spec: unknown flags " + std::to_string(c.flags & ~WARDEN_SPEC_START_DOWN));
    if ((c.argc > 0 && c.argv == nullptr) || (c.env_count > 0 && c.env == nullptr) ||
        (c.file_count > 0 && c.files == nullptr))
        return refused("an array is NULL but its count is not 0");
    for (std::size_t i = 0; i < c.file_count; ++i)
        if (c.files[i] == nullptr || c.files[i]->struct_size < kFileSizeV1_0)
            return refused("a file entry is NULL or smaller than ABI 1.0's");

    const std::string name(text_of(c.name));
    const auto bad = [&](const std::string &what) {
        return refuse(WARDEN_ERR_INVALID_ARGUMENT, "service '" + name + "': " + what);
    };
    if (c.argc == 0 || text_of(c.argv[0]).empty() || text_of(c.argv[0])[0] != '/')
        return bad("argv[0] must be an absolute path to the program");
    for (std::size_t i = 0; i < c.argc; ++i)
        if (has_nul(text_of(c.argv[i])))
            return bad("argv[" + std::to_string(i) + "] contains a NUL byte");
    for (std::size_t i = 0; i < c.env_count; ++i) {
        const std::string_view entry = text_of(c.env[i]);
        const std::size_t eq = entry.find('=');
        if (eq == std::string_view::npos || !valid_env_name(entry.substr(0, eq)) || has_nul(entry))
            return bad("environment entry '" + printable(entry, 80) +
                       "' is not NAME=value with NAME [A-Za-z_][A-Za-z0-9_]*");
    }
    const std::string_view working_dir = text_of(c.working_dir);
    if (!working_dir.empty() && (working_dir[0] != '/' || has_nul(working_dir)))
        return bad("working_dir must be an absolute path");
    for (std::size_t i = 0; i < c.file_count; ++i) {
        const std::string_view path = text_of(c.files[i]->path);
        if (!valid_data_path(path))
            return bad("file path '" + printable(path, 80) +
                       "' must be relative, without '..', '.' or empty parts or control "
                       "characters");
        const uint32_t mode = file_mode_or_default(c.files[i]->mode);
        if (mode > 0777)
            return bad("file '" + std::string(path) + "' has mode " + std::to_string(mode) +
                       "; permission bits only");
    }
    if (c.notification_fd != 0 && (c.notification_fd < WARDEN_MIN_NOTIFICATION_FD ||
                                   c.notification_fd > WARDEN_MAX_NOTIFICATION_FD))
        return bad("notification fd " + std::to_string(c.notification_fd) + " must be from " +
                   std::to_string(WARDEN_MIN_NOTIFICATION_FD) + " to " +
                   std::to_string(WARDEN_MAX_NOTIFICATION_FD) +
                   " (0, 1 and 2 are stdin, stdout, stderr)");
    const int32_t down_signal = down_signal_or_default(c.down_signal);
    if (down_signal < 1 || down_signal >= NSIG)
        return bad("down signal " + std::to_string(down_signal) + " is not a signal");
    const uint32_t log_files = log_files_or_default(c.log_max_files);
    if (log_files > WARDEN_MAX_LOG_FILES)
        return bad("log_max_files must be from 1 to " + std::to_string(WARDEN_MAX_LOG_FILES));
    const uint64_t log_bytes = log_file_bytes_or_default(c.log_max_file_bytes);
    if (log_bytes < WARDEN_MIN_LOG_FILE_BYTES || log_bytes > WARDEN_MAX_LOG_FILE_BYTES)
        return bad("log_max_file_bytes must be from " + std::to_string(WARDEN_MIN_LOG_FILE_BYTES) +
                   " to " + std::to_string(WARDEN_MAX_LOG_FILE_BYTES) + " (s6-log's limits)");
    if (std::string problem = account_field_problem("user", spec_user(c), false); !problem.empty())
        return bad(problem);
    if (std::string problem = account_field_problem("group", spec_group(c), true); !problem.empty())
        return bad(problem);
    return {};
}

// ---- service accounts: who a service runs as [WP-SVC-3] --------------------------

/// What a host knows of itself to settle who a service runs as.
struct HostAccount {
    uint32_t uid = 0;          ///< the host's effective uid; 0 (root) may switch to any user
    uint32_t gid = 0;          ///< its effective gid
    std::string user;          ///< the name of uid; empty when it has none
    std::string group;         ///< the name of gid; empty when it has none
    std::string service_user;  ///< for a spec without a user (warden.yaml); empty = none

    bool root() const noexcept { return uid == 0; }
    /// How texts name the host's user: "user 'warden'", or "uid 1234".
    std::string who() const {
        return user.empty() ? "uid " + std::to_string(uid) : "user '" + printable(user, 64) + "'";
    }
    /// How texts name the host's group: "group 'warden'", or "gid 1234".
    std::string which_group() const {
        return group.empty() ? "gid " + std::to_string(gid)
                             : "group '" + printable(group, 64) + "'";
    }
};

/// One name looked up in an account database.
struct AccountEntry {
    enum class Found { yes, no, failed };
    Found found = Found::no;
    uint32_t id = 0;           ///< a user's uid, or a group's gid
    uint32_t primary_gid = 0;  ///< a user's primary group
    std::string error;         ///< why the lookup failed (Found::failed)
};

/// The account database a host settles accounts against: the machine's (the
/// host looks names up with getpwnam_r and getgrnam_r), or one a test plays.
/// THREADING: an implementation's lookups may run on any thread at once.
class AccountDirectory {
public:
    virtual ~AccountDirectory() = default;
    virtual AccountEntry user(std::string_view name) const = 0;
    virtual AccountEntry group(std::string_view name) const = 0;
};

/// Who a service's process runs as, settled.
struct SettledAccount {
    bool switched = false;  ///< the host switches to `user` (and `group`); else it runs as the host
    std::string user;       ///< with `switched`: the user to switch to
    std::string group;      ///< with `switched`: the group, or empty for the user's primary one
    uint32_t uid = 0;       ///< what the process runs with
    uint32_t gid = 0;
};

/// Settles who the process of a service whose spec names `user` and `group`
/// runs as on `host`, in this order: the names (account_field_problem:
/// invalid argument), the host's service_user for an empty user, each name
/// looked up in `directory` (one that does not exist: invalid argument; a
/// lookup that failed: WARDEN_ERR), then what the host may do: one that is
/// not root runs a service only as its own user and group (else: not
/// permitted). A host running as root switches to any other account; the
/// host's own account needs no switch. Every text begins with `subject`
/// and ": " ("service 'exec-web': ..."), or with the field when it is
/// empty. `out` is set when nothing is refused.
inline Refusal settle_service_account(std::string_view subject, std::string_view user,
                                      std::string_view group, const HostAccount &host,
                                      const AccountDirectory &directory, SettledAccount &out) {
    const std::string lead = subject.empty() ? std::string() : std::string(subject) + ": ";
    const auto refused = [&](warden_status status, const std::string &text) {
        return refuse(status, lead + text);
    };
    const bool from_default = user.empty() && !host.service_user.empty();
    const std::string_view name = from_default ? std::string_view(host.service_user) : user;
    // How texts name the user: a default one is said to be the host's.
    const std::string named = "user '" + printable(name, 2 * WARDEN_MAX_USER_NAME_BYTES) + "'" +
                              (from_default ? " (the host's service_user)" : "");
    const std::string group_named =
        "group '" + printable(group, 2 * WARDEN_MAX_GROUP_NAME_BYTES) + "'";
    if (std::string problem =
            account_field_problem(from_default ? "service_user" : "user", name, false);
        !problem.empty())
        return refused(WARDEN_ERR_INVALID_ARGUMENT, problem);
    if (std::string problem = account_field_problem("group", group, true); !problem.empty())
        return refused(WARDEN_ERR_INVALID_ARGUMENT, problem);

    SettledAccount settled;
    settled.uid = host.uid;
    settled.gid = host.gid;
    const auto looked_up = [&](const AccountEntry &entry, const std::string &what) -> Refusal {
        if (entry.found == AccountEntry::Found::no)
            return refused(WARDEN_ERR_INVALID_ARGUMENT, what + " does not exist on this machine");
        if (entry.found == AccountEntry::Found::failed)
            return refused(WARDEN_ERR, "cannot look up " + what + ": " + entry.error);
        return {};
    };
    if (!name.empty()) {
        const AccountEntry entry = directory.user(name);
        if (Refusal missing = looked_up(entry, named)) return missing;
        settled.uid = entry.id;
        settled.gid = entry.primary_gid;
    }
    if (!group.empty()) {
        const AccountEntry entry = directory.group(group);
        if (Refusal missing = looked_up(entry, group_named)) return missing;
        settled.gid = entry.id;
    }

    if (!host.root()) {
        // No switch is possible: the process runs as s6-svscan, which runs
        // as the host. Only the host's own user and group are that.
        if (settled.uid != host.uid)
            return refused(WARDEN_ERR_NOT_PERMITTED, "running as " + named +
                                                         " needs a host running as root; the "
                                                         "host runs as " +
                                                         host.who());
        if (!group.empty() && settled.gid != host.gid)
            return refused(WARDEN_ERR_NOT_PERMITTED,
                           "running as " + group_named +
                               " needs a host running as root; the host runs as " + host.who() +
                               " and " + host.which_group());
        settled.gid = host.gid;
        out = std::move(settled);
        return {};
    }
    settled.switched = settled.uid != host.uid || (!group.empty() && settled.gid != host.gid);
    if (!settled.switched) {
        settled.gid = host.gid;
        out = std::move(settled);
        return {};
    }
    // s6-envuidgid takes a name: a group alone is applied with the host's own user.
    settled.user = name.empty() ? host.user : std::string(name);
    settled.group = std::string(group);
    if (settled.user.empty())
        return refused(WARDEN_ERR_INVALID_ARGUMENT,
                       "running as " + group_named + " needs a user to run as, and the host's " +
                           host.who() + " has no name; give the user too");
    out = std::move(settled);
    return {};
}

/// service_account: writes `account` into `out`, only within
/// out->struct_size [WP-ABI-3].
inline void write_service_account(const SettledAccount &account,
                                  warden_service_account *out) noexcept {
    warden_service_account full = warden_struct_init<warden_service_account>();
    full.flags = account.switched ? WARDEN_ACCOUNT_SWITCHED : 0u;
    full.uid = account.uid;
    full.gid = account.gid;
    const std::size_t size = out->struct_size < sizeof full ? out->struct_size : sizeof full;
    const auto *from = reinterpret_cast<const unsigned char *>(&full);
    auto *to = reinterpret_cast<unsigned char *>(out);
    for (std::size_t i = sizeof full.struct_size; i < size; ++i) to[i] = from[i];
}

/// The signal numbers s6 forwards to a service (service_control with
/// WARDEN_CONTROL_SIGNAL).
inline bool s6_forwards(int32_t signal_number) {
    switch (signal_number) {
        case SIGALRM:
        case SIGABRT:
        case SIGQUIT:
        case SIGHUP:
        case SIGKILL:
        case SIGTERM:
        case SIGINT:
        case SIGUSR1:
        case SIGUSR2:
        case SIGSTOP:
        case SIGCONT:
        case SIGWINCH: return true;
        default: return false;
    }
}

/// Why service_control refuses `command` (and, for WARDEN_CONTROL_SIGNAL,
/// `signal_number`): a command or a signal it does not know is unsupported.
inline Refusal control_problem(int32_t command, int32_t signal_number) {
    if (command < WARDEN_CONTROL_START || command > WARDEN_CONTROL_STOP_PERSIST)
        return refuse(WARDEN_ERR_UNSUPPORTED, "unknown service command " + std::to_string(command));
    if (command == WARDEN_CONTROL_SIGNAL && !s6_forwards(signal_number))
        return refuse(WARDEN_ERR_UNSUPPORTED,
                      "signal " + std::to_string(signal_number) +
                          " cannot be sent through s6 (it forwards ALRM, ABRT, QUIT, HUP, KILL, "
                          "TERM, INT, USR1, USR2, STOP, CONT and WINCH)");
    return {};
}

/// Why service_remove refuses `flags`: bits it does not know are unsupported.
inline Refusal remove_flags_problem(uint32_t flags) {
    if ((flags & ~WARDEN_REMOVE_LOGS) == 0) return {};
    return refuse(WARDEN_ERR_UNSUPPORTED, "unknown remove flags " + std::to_string(flags));
}

/// A NULL pointer a slot needs: "NULL status", "NULL callback", ...
inline Refusal null_argument(const char *what) {
    return refuse(WARDEN_ERR_INVALID_ARGUMENT, std::string("NULL ") + what);
}

/// How many lines service_log_read hands over for `max_lines`.
inline uint32_t log_lines(uint32_t max_lines) {
    if (max_lines == 0) return WARDEN_DEFAULT_LOG_LINES;
    return max_lines < WARDEN_MAX_LOG_LINES ? max_lines : WARDEN_MAX_LOG_LINES;
}

// ---- the HTTP probe [WP-HTTP-1] ----------------------------------------------------

/// The timeout a probe runs with for `timeout_ms`.
inline uint32_t http_timeout_ms(uint32_t timeout_ms) {
    if (timeout_ms == 0) return WARDEN_DEFAULT_HTTP_TIMEOUT_MS;
    return timeout_ms < WARDEN_MAX_HTTP_TIMEOUT_MS ? timeout_ms : WARDEN_MAX_HTTP_TIMEOUT_MS;
}

/// "GET 127.0.0.1:4195/ready", for error texts and audit lines.
inline std::string http_target(std::string_view method, uint32_t port, std::string_view path) {
    return (method.empty() ? std::string("GET") : printable(method, 16)) +
           " 127.0.0.1:" + std::to_string(port) + printable(path, 200);
}

namespace rules_detail {

// No control byte (below 0x20, or 0x7f).
inline bool without_control_bytes(std::string_view text) {
    for (const char c : text)
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return false;
    return true;
}

}  // namespace rules_detail

/// Why http_probe refuses `request` before sending it: the struct, a method
/// other than GET, POST or PUT (unsupported; methods are case-sensitive, as
/// HTTP's are, so "put" is unknown too), a port outside 1..65535, a path that
/// does not begin with '/', holds spaces or control bytes or passes
/// WARDEN_MAX_HTTP_PATH_BYTES, a content type with control bytes or past
/// WARDEN_MAX_HTTP_CONTENT_TYPE_BYTES, a GET with a body.
inline Refusal http_request_problem(const warden_http_request *r) {
    using rules_detail::without_control_bytes;
    if (r == nullptr || r->struct_size < rules_detail::kHttpRequestSizeV1_0)
        return refuse(WARDEN_ERR_INVALID_ARGUMENT,
                      "http_probe: the request is NULL or smaller than ABI 1.0's");
    std::string_view method = text_of(r->method);
    if (method.empty()) method = "GET";
    const std::string_view path = text_of(r->path);
    const std::string_view content_type = text_of(r->content_type);
    const auto bad = [&](warden_status status, const std::string &cause) {
        return refuse(status, "http " + http_target(method, r->port, path) + ": " + cause);
    };
    if (method != "GET" && method != "POST" && method != "PUT")
        return bad(WARDEN_ERR_UNSUPPORTED,
                   "method '" + printable(method, 16) + "' is not offered (GET, POST or PUT)");
    if (r->port < 1 || r->port > 65535)
        return bad(WARDEN_ERR_INVALID_ARGUMENT,
                   "port " + std::to_string(r->port) + " is not from 1 to 65535");
    if (path.empty() || path.front() != '/' || path.size() > WARDEN_MAX_HTTP_PATH_BYTES ||
        path.find(' ') != std::string_view::npos || !without_control_bytes(path))
        return bad(WARDEN_ERR_INVALID_ARGUMENT,
                   "the path must begin with '/' and hold no spaces or control characters (at "
                   "most " +
                       std::to_string(WARDEN_MAX_HTTP_PATH_BYTES) + " bytes)");
    if (content_type.size() > WARDEN_MAX_HTTP_CONTENT_TYPE_BYTES ||
        !without_control_bytes(content_type))
        return bad(WARDEN_ERR_INVALID_ARGUMENT,
                   "the content type holds control characters or is longer than " +
                       std::to_string(WARDEN_MAX_HTTP_CONTENT_TYPE_BYTES) + " bytes");
    if (method == "GET" && r->body.len != 0)
        return bad(WARDEN_ERR_INVALID_ARGUMENT, "a GET request has no body");
    return {};
}

/// Why `caller` may not probe `port`: a plugin probes nothing, a worker only
/// the ports it holds (`holds`: whether it holds `port`).
inline Refusal http_scope_problem(const Caller &caller, uint32_t port, bool holds) {
    if (!caller.is_worker())
        return refuse(WARDEN_ERR_NOT_PERMITTED,
                      std::string(caller.label) +
                          " is a plugin, not a worker; only workers probe their ports");
    if (holds) return {};
    return refuse(WARDEN_ERR_NOT_PERMITTED,
                  "http_probe: port " + std::to_string(port) + " is not reserved by worker " +
                      std::string(caller.label) + "; reserve it with port_reserve first");
}

// ---- ports [WP-PORT-1] -------------------------------------------------------------

/// Why port_reserve refuses `caller` before looking at what it asks: a
/// plugin has no ports, a worker made without a port registry cannot
/// reserve, and `out_port` must not be NULL.
inline Refusal port_caller_problem(const Caller &caller, bool has_registry,
                                   const uint32_t *out_port) {
    if (!caller.is_worker())
        return refuse(
            WARDEN_ERR_NOT_PERMITTED,
            std::string(caller.label) + " is a plugin, not a worker; only workers reserve ports");
    if (!has_registry)
        return refuse(WARDEN_ERR_UNSUPPORTED,
                      "port reservations need the host's port registry, and worker " +
                          std::string(caller.label) + " was made without one");
    if (out_port == nullptr)
        return refuse(WARDEN_ERR_INVALID_ARGUMENT, "port_reserve: NULL out_port");
    return {};
}

/// Why port_reserve refuses what is asked: `purpose` is not
/// [a-z][a-z0-9_]{0,31}, or `requested` is past 65535 (0 asks the host to
/// choose).
inline Refusal port_value_problem(std::string_view purpose, uint32_t requested) {
    if (!valid_fsm_name(purpose))
        return refuse(WARDEN_ERR_INVALID_ARGUMENT,
                      "port purpose '" + printable(purpose, 40) + "' is not [a-z][a-z0-9_]{0,31}");
    if (requested > 65535)
        return refuse(WARDEN_ERR_INVALID_ARGUMENT,
                      "port " + std::to_string(requested) + " is not from 1 to 65535");
    return {};
}

/// Both, in the host's order.
inline Refusal port_request_problem(const Caller &caller, bool has_registry,
                                    const uint32_t *out_port, std::string_view purpose,
                                    uint32_t requested) {
    if (Refusal refused = port_caller_problem(caller, has_registry, out_port)) return refused;
    return port_value_problem(purpose, requested);
}

/// Why a worker gets no port when the host chooses one: every port of the
/// range is reserved or in use.
inline std::string no_free_port_text(uint32_t first, uint32_t last, std::string_view who,
                                     std::string_view purpose) {
    return "no free port in " + std::to_string(first) + ".." + std::to_string(last) +
           " on 127.0.0.1 for " + std::string(who) + " (" + std::string(purpose) +
           "): each one is reserved or in use; give it a port in its config";
}

// ---- commands [WP-CMD-1] -----------------------------------------------------------

/// The timeout a command runs with for `timeout_ms`.
inline uint32_t command_timeout_ms(uint32_t timeout_ms) {
    if (timeout_ms == 0) return WARDEN_DEFAULT_COMMAND_TIMEOUT_MS;
    return timeout_ms < WARDEN_MAX_COMMAND_TIMEOUT_MS ? timeout_ms : WARDEN_MAX_COMMAND_TIMEOUT_MS;
}

/// Why command_run refuses `command` before running anything: the struct
/// (ABI 1.2's size, its arrays, its file entries), then a program that is
/// not an absolute path, a NUL byte in an argument, a file path that is not
/// relative and plain, a mode beyond the permission bits, a file given
/// twice. All invalid arguments.
inline Refusal command_problem(const warden_command *c) {
    using namespace rules_detail;
    if (c == nullptr) return refuse(WARDEN_ERR_INVALID_ARGUMENT, "command_run: NULL command");
    const auto bad = [](const std::string &what) {
        return refuse(WARDEN_ERR_INVALID_ARGUMENT, "command: " + what);
    };
    if (c->struct_size < kCommandSizeV1_2) return bad("struct_size is smaller than ABI 1.2's");
    if ((c->argc > 0 && c->argv == nullptr) || (c->file_count > 0 && c->files == nullptr))
        return bad("an array is NULL but its count is not 0");
    for (std::size_t i = 0; i < c->file_count; ++i)
        if (c->files[i] == nullptr || c->files[i]->struct_size < kFileSizeV1_0)
            return bad("a file entry is NULL or smaller than ABI 1.0's");
    if (c->argc == 0 || text_of(c->argv[0]).empty() || text_of(c->argv[0])[0] != '/')
        return bad("argv[0] must be an absolute path to the program");
    for (std::size_t i = 0; i < c->argc; ++i)
        if (has_nul(text_of(c->argv[i])))
            return bad("argv[" + std::to_string(i) + "] contains a NUL byte");
    std::set<std::string_view> paths;
    for (std::size_t i = 0; i < c->file_count; ++i) {
        const std::string_view path = text_of(c->files[i]->path);
        const std::string quoted = "'" + printable(path, 80) + "'";
        if (!valid_data_path(path))
            return bad("file path " + quoted +
                       " must be relative, without '..', '.' or empty parts or control "
                       "characters");
        const uint32_t mode = file_mode_or_default(c->files[i]->mode);
        if (mode > 0777)
            return bad("file " + quoted + " has mode " + std::to_string(mode) +
                       "; permission bits only");
        if (!paths.insert(path).second) return bad("file " + quoted + " is given twice");
    }
    return {};
}

// ---- figures [WP-FIG-1] ------------------------------------------------------------

/// A figure as the rules read it: views of a warden_figure's fields (within
/// ABI 1.5's struct) or of a host's own copy; valid while they are.
struct FigureView {
    std::string_view name;
    int32_t kind = WARDEN_FIGURE_GAUGE;
    std::string_view help;
    std::string_view label_name;  ///< empty: no label of the figure's own
    std::string_view label_value;
    double value = 0;
};

/// "gauge", "counter", or "unknown" for a kind this host does not know.
inline const char *figure_kind_name(int32_t kind) noexcept {
    switch (kind) {
        case WARDEN_FIGURE_GAUGE: return "gauge";
        case WARDEN_FIGURE_COUNTER: return "counter";
        default: return "unknown";
    }
}

/// Whether `name` may name a figure: [a-z][a-z0-9_]{0,47}.
inline bool valid_figure_name(std::string_view name) {
    if (name.empty() || name.size() > WARDEN_MAX_FIGURE_NAME_BYTES || name[0] < 'a' ||
        name[0] > 'z')
        return false;
    for (const char c : name)
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
    return true;
}

/// Whether `label` is one of the labels the host sets itself (type, worker)
/// or Prometheus gives a meaning (le, quantile).
inline bool reserved_figure_label(std::string_view label) {
    return label == "type" || label == "worker" || label == "le" || label == "quantile";
}

/// The name the host exports a figure of worker type `type` as:
/// warden_plugin_<type>_<name>.
inline std::string exported_figure_name(std::string_view type, std::string_view name) {
    std::string out = "warden_plugin_";
    out.append(type).append("_").append(name);
    return out;
}

namespace rules_detail {

inline constexpr std::size_t kFigureSizeV1_5 =
    offsetof(warden_figure, value) + sizeof(warden_figure::value);

// Whether `text` is valid UTF-8 (RFC 3629: no overlong forms, no surrogates,
// nothing past U+10FFFF) without a control character: none of U+0000-U+001F,
// U+007F, U+0080-U+009F.
inline bool utf8_without_controls(std::string_view text) {
    for (std::size_t i = 0; i < text.size();) {
        const unsigned char c = static_cast<unsigned char>(text[i]);
        if (c < 0x80) {
            if (c < 0x20 || c == 0x7f) return false;
            ++i;
            continue;
        }
        const std::size_t length = utf8_sequence(text, i, /*c1_controls=*/true);
        if (length == 0) return false;
        i += length;
    }
    return true;
}

// A value as an error text shows it: the shortest form that reads back the
// same (17 significant digits at most), "nan", "inf" or "-inf".
inline std::string number_text(double value) {
    if (std::isnan(value)) return "nan";
    if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
    char text[32];
    std::snprintf(text, sizeof text, "%.17g", value);
    for (int digits = 1; digits < 17; ++digits) {
        char shorter[32];
        std::snprintf(shorter, sizeof shorter, "%.*g", digits, value);
        if (std::strtod(shorter, nullptr) == value) return shorter;
    }
    return text;
}

// "figure 'NAME'" for the start of a refusal; the name was checked first.
inline std::string figure_named(std::string_view name) {
    return "figure '" + std::string(name) + "'";
}

}  // namespace rules_detail

/// Why figure_publish refuses `caller` before it reads the figure: a plugin
/// publishes none (its own context: not permitted), and a context the host
/// gave no figures (derive_desired_state's, check_config's, or a worker made
/// without them: `has_figures` false) has nowhere to publish (unsupported).
inline Refusal figure_caller_problem(const Caller &caller, bool has_figures) {
    if (!caller.is_worker())
        return refuse(WARDEN_ERR_NOT_PERMITTED,
                      "figure_publish: " + std::string(caller.label) +
                          " is a plugin, not a worker; only workers publish figures");
    if (!has_figures)
        return refuse(WARDEN_ERR_UNSUPPORTED,
                      "figure_publish: this context of " + std::string(caller.label) +
                          " publishes no figures (one made for derive_desired_state or "
                          "check_config); publish from collect or an action");
    return {};
}

/// Why figure_publish refuses the struct itself: NULL, or smaller than ABI
/// 1.5's. A figure that passes is read with figure_view.
inline Refusal figure_struct_problem(const warden_figure *figure) {
    if (figure == nullptr || figure->struct_size < rules_detail::kFigureSizeV1_5)
        return refuse(WARDEN_ERR_INVALID_ARGUMENT,
                      "figure_publish: the figure is NULL or smaller than ABI 1.5's");
    return {};
}

/// The fields of a figure that passed figure_struct_problem.
inline FigureView figure_view(const warden_figure &figure) noexcept {
    return FigureView{text_of(figure.name),        figure.kind,
                      text_of(figure.help),        text_of(figure.label_name),
                      text_of(figure.label_value), figure.value};
}

/// Why a figure's own fields are refused, one field at a time in this
/// order: the name, the kind (one this host does not know is unsupported
/// [WP-ABI-6]), the name's _total suffix for its kind, the help, the label
/// name, the label value, the value. Each text names the field, its value
/// (escaped, bounded) and why; all but the kind are invalid arguments.
inline Refusal figure_problem(const FigureView &f) {
    using namespace rules_detail;
    const auto bad = [&](const std::string &why) {
        return refuse(WARDEN_ERR_INVALID_ARGUMENT, figure_named(f.name) + ": " + why);
    };
    if (!valid_figure_name(f.name))
        return refuse(WARDEN_ERR_INVALID_ARGUMENT,
                      "figure name '" + printable(f.name, 64) + "' is not [a-z][a-z0-9_]{0," +
                          std::to_string(WARDEN_MAX_FIGURE_NAME_BYTES - 1) + "}");
    if (f.kind != WARDEN_FIGURE_GAUGE && f.kind != WARDEN_FIGURE_COUNTER)
        return refuse(WARDEN_ERR_UNSUPPORTED,
                      figure_named(f.name) + ": kind " + std::to_string(f.kind) +
                          " is not one this host knows (WARDEN_FIGURE_GAUGE 1, "
                          "WARDEN_FIGURE_COUNTER 2)");
    const bool total = f.name.size() > 6 && f.name.substr(f.name.size() - 6) == "_total";
    if (f.kind == WARDEN_FIGURE_COUNTER && !total) return bad("a counter's name ends in _total");
    if (f.kind == WARDEN_FIGURE_GAUGE && total)
        return bad("a gauge's name does not end in _total (a counter's does)");
    if (f.help.empty()) return bad("help is empty; say in one line what it counts or measures");
    if (f.help.size() > WARDEN_MAX_FIGURE_HELP_BYTES)
        return bad("help '" + printable(f.help, 80) + "' is longer than " +
                   std::to_string(WARDEN_MAX_FIGURE_HELP_BYTES) + " bytes");
    // A backslash is an escape in the HELP line of Prometheus's text format,
    // which not every serializer writes escaped: none is taken.
    if (!utf8_without_controls(f.help) || f.help.find('\\') != std::string_view::npos)
        return bad("help '" + printable(f.help, 80) +
                   "' is not one line of UTF-8 without control characters or backslashes");
    if (!f.label_name.empty()) {
        if (!valid_fsm_name(f.label_name))
            return bad("label name '" + printable(f.label_name, 40) + "' is not [a-z][a-z0-9_]{0," +
                       std::to_string(WARDEN_MAX_NAME_BYTES - 1) + "}");
        if (reserved_figure_label(f.label_name))
            return bad("label name '" + std::string(f.label_name) +
                       "' is taken (the host sets type and worker; le and quantile mean "
                       "something else to Prometheus)");
        if (f.label_value.empty())
            return bad("label '" + std::string(f.label_name) +
                       "' has an empty value, which Prometheus reads as no label");
        if (f.label_value.size() > WARDEN_MAX_FIGURE_LABEL_VALUE_BYTES)
            return bad("label value '" + printable(f.label_value, 80) + "' is longer than " +
                       std::to_string(WARDEN_MAX_FIGURE_LABEL_VALUE_BYTES) + " bytes");
        if (!utf8_without_controls(f.label_value))
            return bad("label value '" + printable(f.label_value, 80) +
                       "' is not UTF-8 without control characters");
    } else if (!f.label_value.empty()) {
        return bad("label value '" + printable(f.label_value, 80) +
                   "' is given without a label name");
    }
    if (!std::isfinite(f.value))
        return bad("value " + number_text(f.value) + " is not a finite number");
    if (f.kind == WARDEN_FIGURE_COUNTER && f.value < 0)
        return bad("counter value " + number_text(f.value) +
                   " is negative; a counter's value is its total");
    return {};
}

/// One series of a figure: a worker's value, for one label value.
struct FigureSeries {
    std::string worker;
    std::string label_value;  ///< empty when the figure has no label
    double value = 0;
};

/// One figure of a worker type with every series its workers published:
/// what a host exports as one metric family.
struct FigureFamily {
    std::string exported_name;  ///< warden_plugin_<type>_<name>
    std::string type;
    std::string name;
    int32_t kind = WARDEN_FIGURE_GAUGE;
    std::string help;
    std::string label_name;            ///< empty: the figure has no label
    std::vector<FigureSeries> series;  ///< sorted by worker, then label value
};

/// The figures workers published, and the rules that hold between them
/// [WP-FIG-1]: within a worker type a name keeps the kind, help and label
/// name it was first published with for as long as a series of it exists,
/// no two figures export under one name (type "a" with "b_c", type "a_b"
/// with "c"), and a worker has at most WARDEN_MAX_FIGURES_PER_WORKER series
/// (a name and a label value): one more is refused, setting one it has
/// always works. The host's store (host/metrics/plugin_figures) and the fake
/// host keep their figures in one.
/// THREADING: every method is thread-safe.
class FigureBook {
public:
    FigureBook() = default;
    FigureBook(const FigureBook &) = delete;
    FigureBook &operator=(const FigureBook &) = delete;

    /// Sets the value of worker `type`/`worker`'s series (f.name,
    /// f.label_value), after figure_problem and the rules above; a refusal
    /// changes nothing. `type` and `worker` are the host's own names.
    Refusal publish(std::string_view type, std::string_view worker, const FigureView &f) {
        using namespace rules_detail;
        if (Refusal bad = figure_problem(f)) return bad;
        if (!valid_fsm_name(type) || !valid_service_name(worker))
            return refuse(WARDEN_ERR_INVALID_ARGUMENT,
                          "figure_publish: worker '" + printable(type, 40) + "/" +
                              printable(worker, 80) + "' is not a worker type and name");
        std::string exported = exported_figure_name(type, f.name);
        std::lock_guard<std::mutex> lock(mutex_);
        const auto schema = schemas_.find(exported);
        if (schema != schemas_.end())
            if (Refusal differs = schema_problem(schema->second, type, f)) return differs;
        SeriesMap &mine = workers_[{std::string(type), std::string(worker)}];
        const auto key = std::make_pair(std::string(f.name), std::string(f.label_value));
        const auto held = mine.find(key);
        if (held != mine.end()) {
            held->second = f.value;
            return {};
        }
        if (mine.size() >= WARDEN_MAX_FIGURES_PER_WORKER) {
            return refuse(WARDEN_ERR_INVALID_ARGUMENT,
                          figure_named(f.name) +
                              (f.label_name.empty() ? std::string()
                                                    : " (" + std::string(f.label_name) + " '" +
                                                          printable(f.label_value, 80) + "')") +
                              ": worker " + std::string(type) + "/" + std::string(worker) +
                              " has " + std::to_string(mine.size()) +
                              " series already, the most one worker publishes "
                              "(WARDEN_MAX_FIGURES_PER_WORKER); setting one of them still works");
        }
        mine.emplace(key, f.value);
        if (schema == schemas_.end()) {
            schemas_.emplace(std::move(exported),
                             Schema{std::string(type), std::string(f.name), f.kind,
                                    std::string(f.help), std::string(f.label_name), 1});
        } else {
            ++schema->second.series;
        }
        return {};
    }

    /// Drops every series of worker `type`/`worker`: it was removed. A name
    /// none of its type's workers publishes any more is free again.
    void forget(const std::string &type, const std::string &worker) {
        std::lock_guard<std::mutex> lock(mutex_);
        const auto it = workers_.find({type, worker});
        if (it == workers_.end()) return;
        for (const auto &entry : it->second) {
            const auto schema = schemas_.find(exported_figure_name(type, entry.first.first));
            if (schema != schemas_.end() && --schema->second.series == 0) schemas_.erase(schema);
        }
        workers_.erase(it);
    }

    /// Every figure with its series, sorted by exported name; each figure's
    /// series by worker, then label value. A figure without series is left out.
    std::vector<FigureFamily> families() const {
        std::lock_guard<std::mutex> lock(mutex_);
        std::map<std::string, FigureFamily> by_name;
        for (const auto &[exported, schema] : schemas_) {
            FigureFamily family;
            family.exported_name = exported;
            family.type = schema.type;
            family.name = schema.name;
            family.kind = schema.kind;
            family.help = schema.help;
            family.label_name = schema.label_name;
            by_name.emplace(exported, std::move(family));
        }
        // Workers in (type, name) order, and each one's series in (name,
        // label value) order: each family's series come out sorted.
        for (const auto &[who, series] : workers_)
            for (const auto &[key, value] : series) {
                const auto family = by_name.find(exported_figure_name(who.first, key.first));
                if (family != by_name.end())
                    family->second.series.push_back(FigureSeries{who.second, key.second, value});
            }
        std::vector<FigureFamily> out;
        out.reserve(by_name.size());
        for (auto &entry : by_name)
            if (!entry.second.series.empty()) out.push_back(std::move(entry.second));
        return out;
    }

    /// How many series worker `type`/`worker` publishes.
    std::size_t series_of(const std::string &type, const std::string &worker) const {
        std::lock_guard<std::mutex> lock(mutex_);
        const auto it = workers_.find({type, worker});
        return it == workers_.end() ? 0 : it->second.size();
    }

private:
    struct Schema {
        std::string type;
        std::string name;
        int32_t kind;
        std::string help;
        std::string label_name;
        std::size_t series;  // of every worker; the schema goes at 0
    };
    // (figure name, label value) -> value
    using SeriesMap = std::map<std::pair<std::string, std::string>, double>;

    // Why `f`, published by a worker of `type`, disagrees with what its
    // exported name already means.
    static Refusal schema_problem(const Schema &was, std::string_view type, const FigureView &f) {
        using rules_detail::figure_named;
        const auto differs = [&](const std::string &what) {
            return refuse(WARDEN_ERR_INVALID_ARGUMENT,
                          figure_named(f.name) + ": " + what + " in worker type " +
                              std::string(type) +
                              "; a name keeps one kind, one help and one label name within its "
                              "worker type");
        };
        const auto label = [](std::string_view name) {
            return name.empty() ? std::string("none") : "'" + std::string(name) + "'";
        };
        if (was.type != type)
            return refuse(WARDEN_ERR_INVALID_ARGUMENT,
                          figure_named(f.name) + " of worker type " + std::string(type) +
                              " would be exported as " + exported_figure_name(type, f.name) +
                              ", which is worker type " + was.type + "'s figure '" + was.name +
                              "'; give it another name");
        if (was.kind != f.kind)
            return differs(std::string("kind ") + figure_kind_name(f.kind) + " differs from " +
                           figure_kind_name(was.kind) + ", its kind");
        if (was.help != f.help)
            return differs("help '" + printable(f.help, 80) + "' differs from '" +
                           printable(was.help, 80) + "', its help");
        if (was.label_name != f.label_name)
            return differs("label name " + label(f.label_name) + " differs from " +
                           label(was.label_name) + ", its label name");
        return {};
    }

    mutable std::mutex mutex_;
    std::map<std::string, Schema> schemas_;                             // by exported name
    std::map<std::pair<std::string, std::string>, SeriesMap> workers_;  // (type, worker)
};

// ---- hooks ---------------------------------------------------------------------------

/// The timeout of an action that declares `timeout_ms` [WP-FSM-4].
inline uint32_t action_timeout_ms(uint32_t timeout_ms) {
    return timeout_ms == 0 ? WARDEN_DEFAULT_ACTION_TIMEOUT_MS : timeout_ms;
}

}  // namespace warden::rules

#endif  // WARDEN_HOST_RULES_HPP
