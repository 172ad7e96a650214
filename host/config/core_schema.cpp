// SPDX-License-Identifier: Apache-2.0
// host/config/core_schema.cpp
#include "config/core_schema.hpp"

#include <charconv>
#include <cmath>
#include <limits>

namespace warden::host {
namespace {

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

bool is_octal_digit(char c) {
    return c >= '0' && c <= '7';
}

bool is_hex_digit(char c) {
    return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// One word in the three casings the core schema allows: "null", "Null", "NULL".
bool is_word(std::string_view text, std::string_view lower) {
    if (text.size() != lower.size() || text.empty()) return false;
    bool all_lower = true, capitalised = true, all_upper = true;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char l = lower[i];
        const char u = static_cast<char>(l >= 'a' && l <= 'z' ? l - 'a' + 'A' : l);
        all_lower = all_lower && text[i] == l;
        capitalised = capitalised && text[i] == (i == 0 ? u : l);
        all_upper = all_upper && text[i] == u;
    }
    return all_lower || capitalised || all_upper;
}

template <typename Predicate>
bool all_of(std::string_view text, Predicate digit) {
    if (text.empty()) return false;
    for (const char c : text)
        if (!digit(c)) return false;
    return true;
}

std::size_t skip_digits(std::string_view text, std::size_t at) {
    while (at < text.size() && is_digit(text[at])) ++at;
    return at;
}

// [-+]? ( \. [0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )?
bool is_float(std::string_view text) {
    std::size_t at = 0;
    if (at < text.size() && (text[at] == '-' || text[at] == '+')) ++at;
    const std::size_t whole = skip_digits(text, at);
    std::size_t digits = whole - at;
    at = whole;
    if (at < text.size() && text[at] == '.') {
        const std::size_t fraction = skip_digits(text, at + 1);
        digits += fraction - (at + 1);
        at = fraction;
    }
    if (digits == 0) return false;
    if (at < text.size() && (text[at] == 'e' || text[at] == 'E')) {
        ++at;
        if (at < text.size() && (text[at] == '-' || text[at] == '+')) ++at;
        const std::size_t exponent = skip_digits(text, at);
        if (exponent == at) return false;
        at = exponent;
    }
    return at == text.size();
}

// The whole of `digits` as a number in `base`; nothing when it does not fit.
template <typename Number>
std::optional<Number> parse_whole(std::string_view digits, int base) {
    Number n{};
    const auto [end, error] =
        std::from_chars(digits.data(), digits.data() + digits.size(), n, base);
    if (error != std::errc() || end != digits.data() + digits.size()) return std::nullopt;
    return n;
}

}  // namespace

bool is_core_null(std::string_view text) {
    return text.empty() || text == "~" || is_word(text, "null");
}

std::optional<bool> core_boolean(std::string_view text) {
    if (is_word(text, "true")) return true;
    if (is_word(text, "false")) return false;
    return std::nullopt;
}

CoreValue core_value(std::string_view text) {
    if (is_core_null(text)) return nullptr;
    if (auto flag = core_boolean(text)) return *flag;
    const char sign = text[0] == '-' || text[0] == '+' ? text[0] : '\0';
    const std::string_view unsigned_part = sign ? text.substr(1) : text;
    if (all_of(unsigned_part, is_digit)) {
        if (sign == '-') {
            if (auto n = parse_whole<int64_t>(text, 10)) return *n;
        } else if (auto n = parse_whole<uint64_t>(unsigned_part, 10)) {
            return *n;
        }
        return text;  // too large for a number: the digits stay
    }
    if (text.size() > 2 && text[0] == '0' && (text[1] == 'o' || text[1] == 'x')) {
        const std::string_view digits = text.substr(2);
        const bool octal = text[1] == 'o';
        if (all_of(digits, octal ? is_octal_digit : is_hex_digit)) {
            if (auto n = parse_whole<uint64_t>(digits, octal ? 8 : 16)) return *n;
            return text;
        }
    }
    if (is_float(text)) {
        double d = 0;
        const auto [end, error] =
            std::from_chars(unsigned_part.data(), unsigned_part.data() + unsigned_part.size(), d);
        if (error != std::errc() || end != unsigned_part.data() + unsigned_part.size())
            return text;  // out of a double's range: the text stays
        return sign == '-' ? -d : d;
    }
    if (unsigned_part.size() == 4 && unsigned_part[0] == '.' &&
        is_word(unsigned_part.substr(1), "inf"))
        return sign == '-' ? -std::numeric_limits<double>::infinity()
                           : std::numeric_limits<double>::infinity();
    if (text == ".nan" || text == ".NaN" || text == ".NAN")
        return std::numeric_limits<double>::quiet_NaN();
    return text;
}

}  // namespace warden::host
