// host/plugins/plugin_file_check.cpp
#include "plugins/plugin_file_check.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <string>
#include <system_error>

namespace warden::host {
namespace {

std::string octal_mode(mode_t mode) {
    char text[8];
    std::snprintf(text, sizeof text, "%04o", static_cast<unsigned>(mode & 07777));
    return text;
}

Result<struct stat> stat_without_following(const std::filesystem::path &path) {
    struct stat st {};
    if (::lstat(path.c_str(), &st) != 0) {
        if (errno == ENOENT) return fail("does not exist");
        return fail("cannot be inspected: ", std::generic_category().message(errno));
    }
    return st;
}

// Owned by root or by the user the host runs as, and writable by nobody else.
Result<void> check_owner_and_mode(const struct stat &st) {
    const uid_t self = ::geteuid();
    if (st.st_uid != 0 && st.st_uid != self)
        return fail("is owned by uid ", std::to_string(st.st_uid),
                    "; only root or the host's user (uid ", std::to_string(self), ") may own it");
    if ((st.st_mode & (S_IWGRP | S_IWOTH)) != 0)
        return fail("has mode ", octal_mode(st.st_mode), ": writable by group or others");
    return {};
}

}  // namespace

Result<void> check_plugin_directory(const std::filesystem::path &dir) {
    // The directory may be reached through a symbolic link (as /lib is on
    // merged-/usr systems): judge the directory it names.
    struct stat st {};
    if (::stat(dir.c_str(), &st) != 0) {
        if (errno == ENOENT) return fail("does not exist");
        return fail("cannot be inspected: ", std::generic_category().message(errno));
    }
    if (!S_ISDIR(st.st_mode)) return fail("is not a directory");
    return check_owner_and_mode(st);
}

Result<void> check_plugin_file(const std::filesystem::path &file) {
    Result<struct stat> st = stat_without_following(file);
    if (!st) return st.error();
    if (S_ISLNK(st->st_mode)) return fail("is a symbolic link; plugins must be regular files");
    if (!S_ISREG(st->st_mode)) return fail("is not a regular file");
    return check_owner_and_mode(st.value());
}

}  // namespace warden::host
