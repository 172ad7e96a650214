// SPDX-License-Identifier: Apache-2.0
// tests/bench/raw_s6.cpp
#include "raw_s6.hpp"

#include "proc_stats.hpp"

#include "s6/file_ops.hpp"
#include "s6/instance_record.hpp"
#include "s6/service_layout.hpp"
#include "s6/supervise.hpp"
#include "s6/svscan.hpp"

#include <stdexcept>

namespace warden::bench {

namespace fs = std::filesystem;
using namespace warden::host;

void prebuild(const fs::path &scan_dir, const fs::path &log_root, const std::string &name) {
    ServiceSpec spec;
    spec.name = name;
    spec.argv = {"/bin/sleep", "3600"};
    // Raw s6: the same run script, without warden-guard in front.
    S6Paths paths;
    paths.guard.clear();
    const ServiceLayout layout =
        lay_out_service(spec, log_root / name, instance_record_dir(scan_dir), paths);
    const fs::path hidden = scan_dir / ("." + name + ".prebuilt");
    fs::create_directories(hidden / "log");
    fs::create_directories(log_root / name);
    for (const LayoutFile &file : layout.files)
        if (!write_new_file(hidden / file.path, file.content, file.mode))
            throw std::runtime_error("cannot prebuild " + name);
    // The manifest means nothing to s6; with it the S6Client may clean up.
    if (!write_new_file(hidden / kManifestFile, layout.manifest, 0644))
        throw std::runtime_error("cannot prebuild " + name);
}

void rename_in(const fs::path &scan_dir, const std::vector<std::string> &names) {
    for (const auto &name : names) {
        fs::rename(scan_dir / ("." + name + ".prebuilt"), scan_dir / name);
        if (!rescan(scan_dir, false)) throw std::runtime_error("rescan failed");
    }
}

void remove_all(const fs::path &scan_dir, const std::vector<std::string> &names) {
    std::vector<fs::path> hidden;
    for (const auto &name : names) {
        hidden.push_back(scan_dir / (".raw-removing-" + name));
        fs::rename(scan_dir / name, hidden.back());
    }
    if (!rescan(scan_dir, true)) throw std::runtime_error("rescan failed");
    for (const auto &dir : hidden) {
        for (const auto &lock : {dir / "supervise" / "lock", dir / "log" / "supervise" / "lock"})
            if (auto holder = lock_holder(lock)) wait_for_exit(*holder, std::chrono::seconds(30));
        fs::remove_all(dir);
    }
}

void svstat_all(const fs::path &scan_dir, const std::vector<std::string> &names) {
    for (const auto &name : names)
        spawn_and_wait("/usr/bin/s6-svstat", {"s6-svstat", (scan_dir / name).string()});
}

}  // namespace warden::bench
