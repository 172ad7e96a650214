// warden/testing/json_object_check.hpp — is this text one JSON object?
//
// The host accepts exactly one JSON object from derive_desired_state and
// collect_observed_state, and parses it with a full JSON parser. The SDK's
// fake host checks the same with this strict RFC 8259 recogniser (UTF-8
// included), so a plugin that writes broken JSON — an unescaped quote in a C
// plugin's reason, say — fails its own unit tests first.
//
// THREADING: a pure function; call from any thread.
#ifndef WARDEN_TESTING_JSON_OBJECT_CHECK_HPP
#define WARDEN_TESTING_JSON_OBJECT_CHECK_HPP

#include <cctype>
#include <cstddef>
#include <string_view>

namespace warden::testing {
namespace json_detail {

class JsonChecker {
public:
    static bool is_object(std::string_view text) {
        JsonChecker c(text);
        c.space();
        if (c.at_end() || c.peek() != '{' || !c.value(0)) return false;
        c.space();
        return c.at_end();
    }

private:
    explicit JsonChecker(std::string_view text) : s_(text) {}
    bool at_end() const { return i_ >= s_.size(); }
    char peek() const { return s_[i_]; }
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
        eat('-');
        if (eat('0')) {
        } else if (!digits()) {
            return false;
        }
        if (eat('.') && !digits()) return false;
        if (!at_end() && (peek() == 'e' || peek() == 'E')) {
            ++i_;
            if (!eat('+')) eat('-');
            if (!digits()) return false;
        }
        return true;
    }
    bool utf8_continuation(std::size_t count) {
        for (std::size_t k = 0; k < count; ++k, ++i_)
            if (at_end() || (static_cast<unsigned char>(peek()) & 0xc0) != 0x80) return false;
        return true;
    }
    bool string() {
        if (!eat('"')) return false;
        while (!at_end()) {
            const auto c = static_cast<unsigned char>(peek());
            ++i_;
            if (c == '"') return true;
            if (c < 0x20) return false;
            if (c == '\\') {
                if (at_end()) return false;
                const char e = peek();
                ++i_;
                if (e == 'u') {
                    for (int k = 0; k < 4; ++k, ++i_)
                        if (at_end() || !std::isxdigit(static_cast<unsigned char>(peek())))
                            return false;
                } else if (std::string_view("\"\\/bfnrt").find(e) == std::string_view::npos) {
                    return false;
                }
            } else if (c >= 0x80) {
                const std::size_t more = c >= 0xf5   ? 0
                                         : c >= 0xf0 ? 3
                                         : c >= 0xe0 ? 2
                                         : c >= 0xc2 ? 1
                                                     : 0;
                if (more == 0 || !utf8_continuation(more)) return false;
            }
        }
        return false;
    }
    bool value(int depth) {
        if (depth > 512) return false;
        space();
        if (at_end()) return false;
        switch (peek()) {
            case '{': {
                ++i_;
                space();
                if (eat('}')) return true;
                do {
                    space();
                    if (!string()) return false;
                    space();
                    if (!eat(':') || !value(depth + 1)) return false;
                    space();
                } while (eat(','));
                return eat('}');
            }
            case '[': {
                ++i_;
                space();
                if (eat(']')) return true;
                do {
                    if (!value(depth + 1)) return false;
                    space();
                } while (eat(','));
                return eat(']');
            }
            case '"': return string();
            case 't': return literal("true");
            case 'f': return literal("false");
            case 'n': return literal("null");
            default: return number();
        }
    }

    std::string_view s_;
    std::size_t i_ = 0;
};

}  // namespace json_detail

/// Whether `text` is exactly one JSON object, with nothing but white space
/// around it.
inline bool is_json_object(std::string_view text) {
    return json_detail::JsonChecker::is_object(text);
}

}  // namespace warden::testing

#endif  // WARDEN_TESTING_JSON_OBJECT_CHECK_HPP
