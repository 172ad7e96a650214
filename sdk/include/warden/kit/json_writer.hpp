// SPDX-License-Identifier: Apache-2.0
// warden/kit/json_writer.hpp — JSON text written straight into a string,
// without building a tree first.
//
// A worker writes its observed-state document at every collect: building an
// nlohmann::json of it and dumping that costs a node and a string per field.
// JsonWriter appends the same text directly, the same bytes nlohmann's
// dump() writes for the same keys in the same order (no spaces; strings as
// dump() with ensure_ascii off: `"` `\` and control characters escaped, the
// short escapes where JSON has them, \u00xx for the rest, valid UTF-8 kept
// as it is). Texts from services may hold any bytes: a byte that begins no
// valid UTF-8 sequence (RFC 3629) is written as U+FFFD, so the document is
// always valid JSON.
//
//     std::string out;
//     warden::kit::JsonWriter w(out);
//     w.begin_object().key("name").value(name).key("up").value(true).end_object();
//
// The caller writes keys in the order it wants them (nlohmann's objects sort
// theirs), and a well-formed sequence: a key before each member's value.
// THREADING: a plain value over the caller's string; one thread at a time.
#ifndef WARDEN_KIT_JSON_WRITER_HPP
#define WARDEN_KIT_JSON_WRITER_HPP

#include <warden/host_rules.hpp>

#include <nlohmann/json.hpp>

#include <charconv>
#include <cstdint>
#include <string>
#include <string_view>

namespace warden::kit {

/// Appends `text` to `out` as a JSON string (warden/host_rules.hpp).
using rules::append_json_string;

class JsonWriter {
public:
    explicit JsonWriter(std::string &out) : out_(out) {}

    JsonWriter &begin_object() { return open('{'); }
    JsonWriter &end_object() { return close('}'); }
    JsonWriter &begin_array() { return open('['); }
    JsonWriter &end_array() { return close(']'); }

    /// A member's key; its value follows.
    JsonWriter &key(std::string_view name) {
        separate();
        append_json_string(out_, name);
        out_.push_back(':');
        after_key_ = true;
        return *this;
    }

    JsonWriter &value(std::string_view text) {
        separate();
        append_json_string(out_, text);
        return *this;
    }
    JsonWriter &value(const std::string &text) { return value(std::string_view(text)); }
    JsonWriter &value(const char *text) { return value(std::string_view(text)); }
    JsonWriter &value(bool flag) {
        separate();
        out_.append(flag ? "true" : "false");
        return *this;
    }
    JsonWriter &value(int64_t number) { return integer(number); }
    JsonWriter &value(int32_t number) { return integer(static_cast<int64_t>(number)); }
    JsonWriter &value(uint64_t number) { return integer(number); }
    JsonWriter &value(uint32_t number) { return value(static_cast<uint64_t>(number)); }
    /// An nlohmann value, as its dump() writes it (invalid UTF-8 replaced).
    JsonWriter &value(const nlohmann::json &json) {
        separate();
        if (json.is_object() && json.empty()) {
            out_.append("{}");
        } else {
            out_.append(json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
        }
        return *this;
    }

private:
    void separate() {
        if (after_key_) {
            after_key_ = false;
        } else if (!first_) {
            out_.push_back(',');
        }
        first_ = false;
    }
    template <typename Integer>
    JsonWriter &integer(Integer number) {
        separate();
        char digits[24];
        const auto end = std::to_chars(digits, digits + sizeof digits, number).ptr;
        out_.append(digits, static_cast<std::size_t>(end - digits));
        return *this;
    }
    JsonWriter &open(char bracket) {
        separate();
        out_.push_back(bracket);
        first_ = true;
        return *this;
    }
    JsonWriter &close(char bracket) {
        out_.push_back(bracket);
        first_ = false;
        return *this;
    }

    std::string &out_;
    bool first_ = true;       // nothing written yet at this level
    bool after_key_ = false;  // a key was written: its value needs no comma
};

}  // namespace warden::kit

#endif  // WARDEN_KIT_JSON_WRITER_HPP
