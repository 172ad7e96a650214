// SPDX-License-Identifier: Apache-2.0
// host/plugins/plugin_file_check.cpp
#include "plugins/plugin_file_check.hpp"

#include "trust/trust_rule.hpp"

#include <fcntl.h>
#include <sys/stat.h>

#include <cerrno>
#include <system_error>
#include <utility>

namespace warden::host {

Result<PluginFile> open_plugin_file(int dir_fd, const std::string &name,
                                    std::filesystem::path path) {
    // O_NONBLOCK: a FIFO named like a plugin must not hang the host in open;
    // it is refused below like any other file that is not regular.
    UniqueFd fd{::openat(dir_fd, name.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)};
    if (fd.fd < 0) {
        if (errno == ELOOP) return fail("is a symbolic link; plugins must be regular files");
        if (errno == ENOENT) return fail("does not exist");
        return fail("cannot be opened: ", std::generic_category().message(errno));
    }
    struct stat st {};
    if (::fstat(fd.fd, &st) != 0)
        return fail("cannot be inspected: ", std::generic_category().message(errno));
    if (!S_ISREG(st.st_mode)) return fail("is not a regular file");
    if (Result<void> trusted = check_trusted_object(st); !trusted) return trusted.error();
    return PluginFile{std::move(path), std::move(fd)};
}

}  // namespace warden::host
