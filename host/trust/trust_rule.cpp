// SPDX-License-Identifier: Apache-2.0
// host/trust/trust_rule.cpp
#include "trust/trust_rule.hpp"

#include <unistd.h>

#include <cstdio>
#include <string>

namespace warden::host {
namespace {

constexpr mode_t kWritableByOthers = S_IWGRP | S_IWOTH;

std::string octal_mode(mode_t mode) {
    char text[8];
    std::snprintf(text, sizeof text, "%04o", static_cast<unsigned>(mode & 07777));
    return text;
}

Error owner_refused(uid_t uid, const char *where) {
    return fail("is owned by uid ", std::to_string(uid), where,
                "; only root or the host's user (uid ", std::to_string(::geteuid()),
                ") may own it");
}

bool shared_sticky(const struct stat &dir) {
    return (dir.st_mode & S_ISVTX) != 0 && (dir.st_mode & kWritableByOthers) != 0;
}

}  // namespace

bool trusted_owner(uid_t uid) {
    return uid == 0 || uid == ::geteuid();
}

Result<void> check_trusted_object(const struct stat &st) {
    if (!trusted_owner(st.st_uid)) return owner_refused(st.st_uid, "");
    if ((st.st_mode & kWritableByOthers) != 0)
        return fail("has mode ", octal_mode(st.st_mode), ": writable by group or others");
    return {};
}

Result<void> check_trusted_directory_on_the_way(const struct stat &st) {
    if (S_ISDIR(st.st_mode) && shared_sticky(st) && trusted_owner(st.st_uid)) return {};
    return check_trusted_object(st);
}

Result<void> check_trusted_entry(const struct stat &dir, const struct stat &entry) {
    if (shared_sticky(dir) && !trusted_owner(entry.st_uid))
        return owner_refused(entry.st_uid, " in a sticky directory others can write to");
    return {};
}

}  // namespace warden::host
