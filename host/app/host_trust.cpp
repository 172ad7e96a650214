// SPDX-License-Identifier: Apache-2.0
// host/app/host_trust.cpp
#include "app/host_trust.hpp"

#include "config/host_config.hpp"
#include "trust/open_trusted.hpp"

#include <warden/validation.hpp>

#include <sys/stat.h>
#include <unistd.h>

namespace warden::host {

Result<std::string> read_host_config(const std::filesystem::path &file) {
    // What is not there, or not a regular file, is named as such first.
    struct stat st {};
    if (::geteuid() != 0 || ::stat(file.c_str(), &st) != 0 || !S_ISREG(st.st_mode))
        return read_config_file(file);
    Result<UniqueFd> opened = open_trusted(file, TrustedKind::regular_file);
    if (!opened)
        return fail("config file ", printable(file.string(), kMaxPathText),
                    " refused: ", opened.error().message,
                    "; the host runs as root, and whoever can change the file can run any "
                    "program as root through it");
    return read_config_from(opened->fd, file);
}

namespace {

// A directory only root can change, as root; one that does not exist is
// named as such by whoever uses it next.
Result<void> check_directory(const char *what, const std::filesystem::path &dir,
                             const char *because) {
    std::error_code ec;
    if (::geteuid() != 0 || !std::filesystem::exists(dir, ec)) return {};
    Result<UniqueFd> opened = open_trusted(dir, TrustedKind::directory);
    if (!opened)
        return fail(what, " ", printable(dir.string(), kMaxPathText),
                    " refused: ", opened.error().message, "; ", because);
    return {};
}

}  // namespace

Result<void> check_host_scan_dir(const std::filesystem::path &scan_dir) {
    return check_directory(
        "scan dir", scan_dir,
        "s6 runs its services as root, and whoever can change it can run any program as root");
}

Result<void> check_host_log_dir(const std::filesystem::path &log_dir) {
    return check_directory("log dir", log_dir,
                           "the services' loggers write there as root, and whoever can change "
                           "it can have them write anywhere");
}

}  // namespace warden::host
