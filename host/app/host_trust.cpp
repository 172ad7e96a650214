// host/app/host_trust.cpp
#include "app/host_trust.hpp"

#include "config/host_config.hpp"
#include "trust/open_trusted.hpp"

#include <warden/validation.hpp>

#include <unistd.h>

namespace warden::host {

Result<std::string> read_host_config(const std::filesystem::path &file) {
    if (::geteuid() != 0) return read_config_file(file);
    Result<UniqueFd> opened = open_trusted(file, TrustedKind::regular_file);
    if (!opened)
        return fail("config file ", printable(file.string(), kMaxPathText),
                    " refused: ", opened.error().message,
                    "; the host runs as root, and whoever can change the file can run any "
                    "program as root through it");
    return read_config_from(opened->fd, file);
}

Result<void> check_host_scan_dir(const std::filesystem::path &scan_dir) {
    // One that does not exist is named as such by whoever uses it next.
    std::error_code ec;
    if (::geteuid() != 0 || !std::filesystem::exists(scan_dir, ec)) return {};
    Result<UniqueFd> opened = open_trusted(scan_dir, TrustedKind::directory);
    if (!opened)
        return fail("scan dir ", printable(scan_dir.string(), kMaxPathText),
                    " refused: ", opened.error().message,
                    "; s6 runs its services as root, and whoever can change it can run any "
                    "program as root");
    return {};
}

}  // namespace warden::host
