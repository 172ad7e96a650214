// SPDX-License-Identifier: Apache-2.0
// host/trust/open_trusted.hpp — opening a file or directory only root or the
// host's user can change.
//
// open_trusted resolves the path itself, from "/", one component at a time,
// each through a descriptor (openat with O_PATH | O_NOFOLLOW) judged by
// fstat under the rule of trust/trust_rule.hpp:
//
// - every directory on the way is owned by root or the host's user and not
//   writable by group or others, or is such an owner's sticky directory (like
//   /tmp), from which only entries owned by root or the host's user are taken;
// - a symbolic link is followed (at most 40 on the way) only from a directory
//   that passed, and its target is walked under the same rule: a relative one
//   from the link's directory, an absolute one from "/";
// - ".." goes to the parent of the directory actually reached, not of the
//   path's text, and that parent is judged like any other;
// - the object at the end is of the kind asked for, owned by root or the
//   host's user, and not writable by group or others.
//
// The object is then opened from its checked directory without following a
// link, and the caller keeps that descriptor: what was judged is what is
// read, whatever happens to the path afterwards. Nothing is checked by path
// and opened again by path.
//
// An error names the path that failed, where the walk was going, and why:
//   /srv/p (on the way to /srv/p/plugins) is owned by uid 1000; only root or
//       the host's user (uid 0) may own it
//   /tmp/w has mode 0777: writable by group or others
//   /srv/real (named by /srv/link) is not a directory
#pragma once

#include "common/result.hpp"
#include "common/unique_fd.hpp"

#include <filesystem>

namespace warden::host {

enum class TrustedKind {
    regular_file,
    directory,
};

/// Opens `path` (made absolute from the current directory when relative)
/// after checking every step of the way to it, as described above.
///
/// @param path the file or directory; symbolic links and ".." are allowed
/// @param kind what the object at the end must be
/// @return a descriptor on the checked object, opened O_RDONLY | O_CLOEXEC
///         (and O_DIRECTORY for a directory), or the refusal
///
/// OWNERSHIP: the caller owns the descriptor.
/// THREADING: safe from any thread at once; it changes no process state (no
/// chdir) and judges owners against the effective uid at the time of the call.
Result<UniqueFd> open_trusted(const std::filesystem::path &path, TrustedKind kind);

}  // namespace warden::host
