// SPDX-License-Identifier: Apache-2.0
// host/trust/open_trusted.cpp
#include "trust/open_trusted.hpp"

#include "trust/trust_rule.hpp"

#include <warden/validation.hpp>

#include <fcntl.h>
#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <deque>
#include <string>
#include <system_error>
#include <utility>

namespace warden::host {
namespace {

// The kernel's own limit on links followed in one lookup (MAXSYMLINKS).
constexpr int kMaxLinks = 40;

std::string join(const std::string &dir, const std::string &name) {
    return dir == "/" ? "/" + name : dir + "/" + name;
}

std::string parent_of(const std::string &dir) {
    const std::size_t slash = dir.rfind('/');
    return slash == 0 || slash == std::string::npos ? "/" : dir.substr(0, slash);
}

// "a//b/./c" gives a, b, c: empty and "." components change nothing. ".." is
// kept, to be walked: only the walk knows which directory it leads to.
std::deque<std::string> components(const std::string &text) {
    std::deque<std::string> parts;
    std::size_t start = 0;
    while (start <= text.size()) {
        std::size_t end = text.find('/', start);
        if (end == std::string::npos) end = text.size();
        std::string part = text.substr(start, end - start);
        if (!part.empty() && part != ".") parts.push_back(std::move(part));
        start = end + 1;
    }
    return parts;
}

std::string joined(const std::deque<std::string> &parts) {
    std::string text;
    for (const std::string &part : parts) text += "/" + part;
    return text.empty() ? "/" : text;
}

std::string open_cause(int error) {
    if (error == ENOENT) return "does not exist";
    return "cannot be opened: " + std::generic_category().message(error);
}

std::string inspect_cause(int error) {
    return "cannot be inspected: " + std::generic_category().message(error);
}

// A descriptor from the walk (O_PATH until the end) and what fstat said of it.
struct Step {
    UniqueFd fd;
    struct stat st {};
    std::string path;  ///< every link on the way resolved
};

class TrustedWalk {
public:
    TrustedWalk(const std::string &absolute, TrustedKind kind)
        : remaining_(components(absolute)), requested_(joined(remaining_)), kind_(kind) {}

    Result<UniqueFd> run();

private:
    Result<void> start_at_root();
    Result<void> step_up();
    Result<void> follow(const Step &link);
    Result<void> enter(Step next, bool at_end);
    Result<UniqueFd> open_entry_at_end(const std::string &name, const Step &entry);
    Result<UniqueFd> open_directory_reached();
    Result<UniqueFd> keep_if_same(UniqueFd opened, const Step &seen);
    Error refuse(const std::string &path, bool at_end, const std::string &cause) const;

    std::deque<std::string> remaining_;  ///< components still to walk
    std::string requested_;
    TrustedKind kind_;
    Step dir_;  ///< the directory reached so far, checked
    int links_ = 0;
};

Result<UniqueFd> TrustedWalk::run() {
    if (Result<void> root = start_at_root(); !root) return root.error();
    while (!remaining_.empty()) {
        const std::string name = std::move(remaining_.front());
        remaining_.pop_front();
        if (name == "..") {
            if (Result<void> up = step_up(); !up) return up.error();
            continue;
        }

        Step entry;
        entry.path = join(dir_.path, name);
        entry.fd = UniqueFd{::openat(dir_.fd.fd, name.c_str(), O_PATH | O_NOFOLLOW | O_CLOEXEC)};
        if (entry.fd.fd < 0) return refuse(entry.path, remaining_.empty(), open_cause(errno));
        if (::fstat(entry.fd.fd, &entry.st) != 0)
            return refuse(entry.path, remaining_.empty(), inspect_cause(errno));
        const bool is_link = S_ISLNK(entry.st.st_mode);
        const bool at_end = remaining_.empty() && !is_link;
        if (Result<void> taken = check_trusted_entry(dir_.st, entry.st); !taken)
            return refuse(entry.path, at_end, taken.error().message);

        if (is_link) {
            if (Result<void> followed = follow(entry); !followed) return followed.error();
        } else if (at_end) {
            return open_entry_at_end(name, entry);
        } else if (Result<void> entered = enter(std::move(entry), false); !entered) {
            return entered.error();
        }
    }
    return open_directory_reached();
}

Result<void> TrustedWalk::start_at_root() {
    Step root;
    root.path = "/";
    root.fd = UniqueFd{::open("/", O_PATH | O_DIRECTORY | O_CLOEXEC)};
    if (root.fd.fd < 0) return refuse("/", remaining_.empty(), open_cause(errno));
    if (::fstat(root.fd.fd, &root.st) != 0)
        return refuse("/", remaining_.empty(), inspect_cause(errno));
    return enter(std::move(root), remaining_.empty());
}

// The parent of the directory reached, which after a link is not the parent
// the path's text shows.
Result<void> TrustedWalk::step_up() {
    Step parent;
    parent.path = parent_of(dir_.path);
    parent.fd = UniqueFd{::openat(dir_.fd.fd, "..", O_PATH | O_DIRECTORY | O_CLOEXEC)};
    if (parent.fd.fd < 0) return refuse(parent.path, remaining_.empty(), open_cause(errno));
    if (::fstat(parent.fd.fd, &parent.st) != 0)
        return refuse(parent.path, remaining_.empty(), inspect_cause(errno));
    return enter(std::move(parent), remaining_.empty());
}

// Walks on through the link's target: it is read from the link's own
// descriptor, so it is the target of the link that was checked.
Result<void> TrustedWalk::follow(const Step &link) {
    if (++links_ > kMaxLinks)
        return refuse(link.path, false,
                      "is one symbolic link too many on the way (at most " +
                          std::to_string(kMaxLinks) + " are followed)");
    std::string target(PATH_MAX, '\0');
    const ssize_t length = ::readlinkat(link.fd.fd, "", target.data(), target.size());
    if (length < 0)
        return refuse(
            link.path, false,
            "is a symbolic link that cannot be read: " + std::generic_category().message(errno));
    if (length == 0) return refuse(link.path, false, "is a symbolic link to nothing");
    if (static_cast<std::size_t>(length) >= target.size())
        return refuse(link.path, false, "is a symbolic link whose target is too long");
    target.resize(static_cast<std::size_t>(length));

    const std::deque<std::string> parts = components(target);
    remaining_.insert(remaining_.begin(), parts.begin(), parts.end());
    if (target.front() == '/') return start_at_root();
    return {};  // relative: from the link's directory, where the walk stands
}

// Makes `next` the directory the walk stands in. One passed through must
// pass the rule for directories on the way; the one at the end is judged
// when it is opened.
Result<void> TrustedWalk::enter(Step next, bool at_end) {
    if (!at_end) {
        if (!S_ISDIR(next.st.st_mode)) return refuse(next.path, false, "is not a directory");
        if (Result<void> trusted = check_trusted_directory_on_the_way(next.st); !trusted)
            return refuse(next.path, false, trusted.error().message);
    }
    dir_ = std::move(next);
    return {};
}

Result<UniqueFd> TrustedWalk::open_entry_at_end(const std::string &name, const Step &entry) {
    const bool want_directory = kind_ == TrustedKind::directory;
    // The kind first: a FIFO or a device is never opened.
    if (want_directory && !S_ISDIR(entry.st.st_mode))
        return refuse(entry.path, true, "is not a directory");
    if (!want_directory && !S_ISREG(entry.st.st_mode))
        return refuse(entry.path, true, "is not a regular file");
    const int flags = O_RDONLY | O_NOFOLLOW | O_CLOEXEC | (want_directory ? O_DIRECTORY : 0);
    UniqueFd opened{::openat(dir_.fd.fd, name.c_str(), flags)};
    if (opened.fd < 0) return refuse(entry.path, true, open_cause(errno));
    return keep_if_same(std::move(opened), entry);
}

// The path ended in a directory already reached: "/", or a last "..".
Result<UniqueFd> TrustedWalk::open_directory_reached() {
    if (kind_ != TrustedKind::directory) return refuse(dir_.path, true, "is not a regular file");
    UniqueFd opened{::openat(dir_.fd.fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)};
    if (opened.fd < 0) return refuse(dir_.path, true, open_cause(errno));
    return keep_if_same(std::move(opened), dir_);
}

// The object at the end, judged through the descriptor the caller keeps.
Result<UniqueFd> TrustedWalk::keep_if_same(UniqueFd opened, const Step &seen) {
    struct stat st {};
    if (::fstat(opened.fd, &st) != 0) return refuse(seen.path, true, inspect_cause(errno));
    if (st.st_dev != seen.st.st_dev || st.st_ino != seen.st.st_ino)
        return refuse(seen.path, true, "was replaced while it was being opened");
    if (Result<void> trusted = check_trusted_object(st); !trusted)
        return refuse(seen.path, true, trusted.error().message);
    return Result<UniqueFd>(std::move(opened));
}

// "PATH CAUSE", saying where the walk was going when PATH is not the path
// asked for.
Error TrustedWalk::refuse(const std::string &path, bool at_end, const std::string &cause) const {
    const std::string quoted = printable(path, kMaxPathText);
    if (path == requested_) return fail(quoted, " ", cause);
    return fail(quoted, at_end ? " (named by " : " (on the way to ",
                printable(requested_, kMaxPathText), ") ", cause);
}

}  // namespace

Result<UniqueFd> open_trusted(const std::filesystem::path &path, TrustedKind kind) {
    std::error_code ec;
    const std::filesystem::path absolute = std::filesystem::absolute(path, ec);
    if (ec)
        return fail(printable(path.string(), kMaxPathText),
                    " cannot be made absolute: ", ec.message());
    return TrustedWalk(absolute.string(), kind).run();
}

}  // namespace warden::host
