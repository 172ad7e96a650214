// SPDX-License-Identifier: Apache-2.0
// host/s6/file_ops.cpp
#include "s6/file_ops.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <system_error>

namespace warden::host {
namespace {

// Writes all of `content` to `fd`; returns 0 or the errno of the failure.
int write_all(int fd, std::string_view content) {
    while (!content.empty()) {
        const ssize_t n = ::write(fd, content.data(), content.size());
        if (n < 0) {
            if (errno == EINTR) continue;
            return errno;
        }
        content.remove_prefix(static_cast<std::size_t>(n));
    }
    return 0;
}

enum class Sync { no, yes };

Result<void> write_file(const std::filesystem::path &path, std::string_view content, mode_t mode,
                        int flags, Sync sync = Sync::no) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC | flags, mode);
    if (fd < 0) return file_error("cannot create", path, errno);
    int err = write_all(fd, content);
    if (err == 0 && ::fchmod(fd, mode) != 0) err = errno;  // not narrowed by the umask
    if (err == 0 && sync == Sync::yes && ::fsync(fd) != 0) err = errno;
    if (::close(fd) != 0 && err == 0) err = errno;
    if (err != 0) {
        ::unlink(path.c_str());
        return file_error("cannot write", path, err);
    }
    return {};
}

}  // namespace

Error file_error(const char *what, const std::filesystem::path &path, int err) {
    return fail_as(err == ENOENT ? ErrorKind::not_found : ErrorKind::failed, what, " ",
                   path.string(), ": ", std::generic_category().message(err));
}

Result<void> write_new_file(const std::filesystem::path &path, std::string_view content,
                            mode_t mode) {
    return write_file(path, content, mode, O_EXCL);
}

namespace {

Result<void> replace(const std::filesystem::path &path, std::string_view content, mode_t mode,
                     Sync sync) {
    std::filesystem::path temporary = path;
    temporary += ".warden-new";
    if (Result<void> written = write_file(temporary, content, mode, O_TRUNC, sync); !written)
        return written;
    if (::rename(temporary.c_str(), path.c_str()) != 0) {
        const int err = errno;
        ::unlink(temporary.c_str());
        return file_error("cannot replace", path, err);
    }
    if (sync == Sync::yes) {
        const int dir = ::open(path.parent_path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dir >= 0) {
            ::fsync(dir);
            ::close(dir);
        }
    }
    return {};
}

}  // namespace

Result<void> replace_file(const std::filesystem::path &path, std::string_view content,
                          mode_t mode) {
    return replace(path, content, mode, Sync::no);
}

Result<void> replace_file_durably(const std::filesystem::path &path, std::string_view content,
                                  mode_t mode) {
    return replace(path, content, mode, Sync::yes);
}

Result<std::optional<std::string>> read_file_if_exists(const std::filesystem::path &path,
                                                       std::size_t max_bytes) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
    if (fd < 0) {
        if (errno == ENOENT) return std::optional<std::string>();
        return file_error("cannot open", path, errno);
    }
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        ::close(fd);
        return fail("cannot read ", path.string(), ": not a regular file");
    }
    std::string content;
    char buffer[4096];
    for (;;) {
        if (content.size() > max_bytes) {
            ::close(fd);
            return fail("cannot read ", path.string(), ": larger than ", std::to_string(max_bytes),
                        " bytes");
        }
        const ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            const int err = errno;
            ::close(fd);
            return file_error("cannot read", path, err);
        }
        if (n == 0) break;
        content.append(buffer, static_cast<std::size_t>(n));
    }
    ::close(fd);
    return std::optional<std::string>(std::move(content));
}

std::optional<uint32_t> read_number_file(const std::filesystem::path &file) {
    auto content = read_file_if_exists(file, 64);
    if (!content || !content.value()) return std::nullopt;
    std::string_view text = *content.value();
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.remove_suffix(1);
    uint32_t value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || error != std::errc() || end != text.data() + text.size())
        return std::nullopt;
    return value;
}

Result<void> make_directories(const std::filesystem::path &path, mode_t mode) {
    std::filesystem::path partial;
    for (const auto &part : path) {
        partial /= part;
        if (::mkdir(partial.c_str(), mode) != 0 && errno != EEXIST)
            return file_error("cannot create directory", partial, errno);
    }
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return file_error("cannot create directory", path, errno);
    if (!S_ISDIR(st.st_mode))
        return fail("cannot create directory ", path.string(), ": a file is in the way");
    return {};
}

Result<void> remove_tree(const std::filesystem::path &path) {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
    if (ec) return fail("cannot remove ", path.string(), ": ", ec.message());
    return {};
}

}  // namespace warden::host
