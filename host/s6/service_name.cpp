// host/s6/service_name.cpp
#include "s6/service_name.hpp"

#include <warden/validation.hpp>

namespace warden::host {

bool valid_service_name(std::string_view name) {
    if (name.empty() || name.size() > 64) return false;
    for (std::size_t i = 0; i < name.size(); ++i) {
        const char c = name[i];
        const bool lower_or_digit = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
        if (!lower_or_digit && (i == 0 || (c != '_' && c != '-'))) return false;
    }
    return true;
}

Result<void> check_service_name(std::string_view name) {
    if (valid_service_name(name)) return {};
    return fail_as(ErrorKind::invalid_argument, "invalid service name '", printable(name, 80),
                   "': names are [a-z0-9][a-z0-9_-]{0,63}");
}

}  // namespace warden::host
