// SPDX-License-Identifier: Apache-2.0
// host/s6/log_tail.cpp
#include "s6/log_tail.hpp"

#include "common/unique_fd.hpp"
#include "s6/file_ops.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <string_view>

namespace warden::host {
namespace {

constexpr std::size_t kBlock = 16 * 1024;

}  // namespace

Result<std::vector<std::string>> read_last_lines(const std::filesystem::path &file,
                                                 std::size_t max_lines, std::size_t max_bytes) {
    std::vector<std::string> lines;
    UniqueFd f{::open(file.c_str(), O_RDONLY | O_CLOEXEC)};
    if (f.fd < 0) {
        if (errno == ENOENT) return lines;
        return file_error("cannot open", file, errno);
    }
    struct stat st {};
    if (::fstat(f.fd, &st) != 0) return file_error("cannot read", file, errno);
    const auto size = static_cast<std::size_t>(st.st_size);
    const std::size_t window = std::min(size, max_bytes);
    if (window == 0 || max_lines == 0) return lines;

    // Filled from its end towards its start, one block at a time, until it
    // holds more line ends than lines asked for (the extra one marks where
    // the first wanted line begins) or the window is full.
    std::string buffer(window, '\0');
    std::size_t have = 0;
    std::size_t newlines = 0;
    bool ends_with_newline = false;
    while (have < window) {
        const std::size_t n = std::min(kBlock, window - have);
        char *const block = buffer.data() + (window - have - n);
        std::size_t done = 0;
        while (done < n) {
            const ssize_t got =
                ::pread(f.fd, block + done, n - done, static_cast<off_t>(size - have - n + done));
            if (got < 0 && errno == EINTR) continue;
            if (got < 0) return file_error("cannot read", file, errno);
            if (got == 0) return fail("cannot read ", file.string(), ": it shrank while read");
            done += static_cast<std::size_t>(got);
        }
        if (have == 0) ends_with_newline = block[n - 1] == '\n';
        newlines += static_cast<std::size_t>(std::count(block, block + n, '\n'));
        have += n;
        if (newlines > max_lines + (ends_with_newline ? 1 : 0)) break;
    }

    std::string_view text(buffer.data() + (window - have), have);
    if (ends_with_newline) text.remove_suffix(1);
    std::vector<std::string_view> parts;
    for (std::size_t start = 0;;) {
        const std::size_t end = text.find('\n', start);
        parts.push_back(text.substr(start, end == std::string_view::npos ? end : end - start));
        if (end == std::string_view::npos) break;
        start = end + 1;
    }
    // Unless the read reached the start of the file or a line end, the
    // first piece may be the tail of a longer line.
    if (have < size) {
        char before = '\0';
        if (::pread(f.fd, &before, 1, static_cast<off_t>(size - have - 1)) != 1 || before != '\n')
            parts.erase(parts.begin());
    }
    const std::size_t first = parts.size() > max_lines ? parts.size() - max_lines : 0;
    for (std::size_t i = first; i < parts.size(); ++i) lines.emplace_back(parts[i]);
    return lines;
}

}  // namespace warden::host
