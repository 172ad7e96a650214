// host/s6/s6_paths.hpp — where the s6 and execline programs are.
//
// The defaults are Debian's: execline keeps its commands in
// /usr/lib/execline/bin, off PATH. Run scripts name every program by
// absolute path, so a service's PATH is exactly what it inherits.
#pragma once

#include <filesystem>

namespace warden::host {

struct S6Paths {
    std::filesystem::path execline_bin = "/usr/lib/execline/bin";  ///< execlineb, fdmove, export...
    std::filesystem::path s6_bin = "/usr/bin";                     ///< s6-svscan, s6-log

    std::filesystem::path execlineb() const { return execline_bin / "execlineb"; }
    std::filesystem::path svscan() const { return s6_bin / "s6-svscan"; }
    std::filesystem::path s6_log() const { return s6_bin / "s6-log"; }
};

}  // namespace warden::host
