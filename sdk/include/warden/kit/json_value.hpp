// SPDX-License-Identifier: Apache-2.0
// warden/kit/json_value.hpp — reading a document the plugin wrote itself.
//
// A worker's desired and observed documents travel through the host as
// JSON and come back in every snapshot. They were written by this plugin,
// or by an older version of it, so a missing key or one of another type is
// not an error: it reads as the default, and the plugin carries on.
//
//     const nlohmann::json doc = warden::kit::parse_object(text, "desired state");
//     const uint32_t port = warden::kit::value_or(doc, "http_port", uint32_t{0});
//
// THREADING: a pure function; call from any thread.
#ifndef WARDEN_KIT_JSON_VALUE_HPP
#define WARDEN_KIT_JSON_VALUE_HPP

#include <warden/types.hpp>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <type_traits>

namespace warden::kit {

/// The value at `key` of a document the plugin wrote, when it has the type of
/// `fallback` (and fits it); `fallback` otherwise. Reading never throws: a
/// document from an older plugin version reads with defaults.
template <typename T>
T value_or(const nlohmann::json &in, const char *key, T fallback) {
    const auto it = in.find(key);
    if (it == in.end()) return fallback;
    if constexpr (std::is_same_v<T, bool>) {
        return it->is_boolean() ? it->template get<bool>() : fallback;
    } else if constexpr (std::is_unsigned_v<T>) {
        if (!it->is_number_integer()) return fallback;
        if (!it->is_number_unsigned() && it->template get<int64_t>() < 0) return fallback;
        const auto v = it->template get<uint64_t>();
        return v <= std::numeric_limits<T>::max() ? static_cast<T>(v) : fallback;
    } else if constexpr (std::is_integral_v<T>) {
        if (!it->is_number_integer()) return fallback;
        if (it->is_number_unsigned() &&
            it->template get<uint64_t>() > static_cast<uint64_t>(INT64_MAX))
            return fallback;
        const auto v = it->template get<int64_t>();
        return v >= std::numeric_limits<T>::min() && v <= std::numeric_limits<T>::max()
                   ? static_cast<T>(v)
                   : fallback;
    } else if constexpr (std::is_floating_point_v<T>) {
        return it->is_number() ? it->template get<T>() : fallback;
    } else {
        return it->is_string() ? it->template get<std::string>() : fallback;
    }
}

/// `text`, a document the plugin wrote ("desired state", "observed state"),
/// parsed; anything but a JSON object throws warden::Error
/// (WARDEN_ERR_INVALID_ARGUMENT) "<what>: not a JSON object".
inline nlohmann::json parse_object(std::string_view text, const char *what) {
    nlohmann::json in = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (!in.is_object())
        throw Error(WARDEN_ERR_INVALID_ARGUMENT, std::string(what) + ": not a JSON object");
    return in;
}

}  // namespace warden::kit

#endif  // WARDEN_KIT_JSON_VALUE_HPP
