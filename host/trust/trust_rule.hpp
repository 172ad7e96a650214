// SPDX-License-Identifier: Apache-2.0
// host/trust/trust_rule.hpp — who may change what the host trusts.
//
// The host runs code (plugins) and, as root, reads settings only from objects
// that nobody but root or the host's own user (its effective uid) can change.
// An object passes when one of them owns it and it is not writable by group
// or others. A directory passed through on the way to it passes the same
// test, or is a sticky directory (like /tmp) owned by one of them: there only
// an entry's owner can rename or remove the entry, so an entry taken from a
// sticky directory that others can write to must be owned by root or the
// host's user too.
//
// Each check's error message is the cause alone ("has mode 0777: writable by
// group or others"); the caller names the path.
// THREADING: pure functions of their arguments and of geteuid().
#pragma once

#include "common/result.hpp"

#include <sys/stat.h>
#include <sys/types.h>

namespace warden::host {

/// Whether `uid` is root or the host's effective uid.
bool trusted_owner(uid_t uid);

/// The object itself: owned by root or the host's user, and writable by
/// nobody else.
Result<void> check_trusted_object(const struct stat &st);

/// A directory passed through: as check_trusted_object, or sticky and owned
/// by root or the host's user.
Result<void> check_trusted_directory_on_the_way(const struct stat &st);

/// An entry (file, directory or symbolic link) taken from directory `dir`:
/// anything, unless `dir` is sticky and writable by group or others; then
/// only an entry owned by root or the host's user.
Result<void> check_trusted_entry(const struct stat &dir, const struct stat &entry);

}  // namespace warden::host
