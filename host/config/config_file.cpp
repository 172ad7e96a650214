// SPDX-License-Identifier: Apache-2.0
// host/config/config_file.cpp — reading the config file's bytes.
#include "config/config_limits.hpp"
#include "config/host_config.hpp"

#include "common/unique_fd.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace warden::host {
namespace {

const char *kind_of(mode_t mode) {
    if (S_ISDIR(mode)) return "a directory";
    if (S_ISFIFO(mode)) return "a FIFO";
    if (S_ISCHR(mode)) return "a character device";
    if (S_ISBLK(mode)) return "a block device";
    if (S_ISSOCK(mode)) return "a socket";
    if (S_ISLNK(mode)) return "a symbolic link";
    return "not a regular file";
}

Error not_regular(const std::filesystem::path &file, mode_t mode) {
    return fail("config file ", file.string(), " is ", kind_of(mode),
                "; only a regular file is read");
}

Error too_large(const std::filesystem::path &file) {
    return fail("config file ", file.string(), " is larger than ",
                std::to_string(kMaxConfigBytes >> 20), " MiB (", std::to_string(kMaxConfigBytes),
                " bytes); the file is refused");
}

}  // namespace

Result<std::string> read_config_from(int fd, const std::filesystem::path &file) {
    struct stat st;
    if (::fstat(fd, &st) != 0)
        return fail("cannot read config file ", file.string(), ": ", std::strerror(errno));
    if (!S_ISREG(st.st_mode)) return not_regular(file, st.st_mode);
    if (st.st_size > static_cast<off_t>(kMaxConfigBytes)) return too_large(file);
    // The size fstat gives is a hint: files in /proc and the like say 0 and
    // hold more. Reading stops one byte past the limit either way.
    std::string text;
    text.reserve(static_cast<std::size_t>(st.st_size) + 1);
    char chunk[16384];
    while (text.size() <= kMaxConfigBytes) {
        const std::size_t want = std::min(sizeof chunk, kMaxConfigBytes + 1 - text.size());
        const ssize_t n = ::read(fd, chunk, want);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0)
            return fail("cannot read config file ", file.string(), ": ", std::strerror(errno));
        if (n == 0) break;
        text.append(chunk, static_cast<std::size_t>(n));
    }
    if (text.size() > kMaxConfigBytes) return too_large(file);
    return text;
}

Result<std::string> read_config_file(const std::filesystem::path &file) {
    // Whatever is not a regular file is refused before it is opened: opening
    // a device can have effects of its own.
    struct stat st;
    if (::stat(file.c_str(), &st) != 0) {
        if (errno == ENOENT) return fail("config file ", file.string(), " does not exist");
        return fail("cannot read config file ", file.string(), ": ", std::strerror(errno));
    }
    if (!S_ISREG(st.st_mode)) return not_regular(file, st.st_mode);
    const UniqueFd fd(::open(file.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY));
    if (fd.fd < 0) {
        if (errno == ENOENT) return fail("config file ", file.string(), " does not exist");
        return fail("cannot read config file ", file.string(), ": ", std::strerror(errno));
    }
    return read_config_from(fd.fd, file);
}

}  // namespace warden::host
