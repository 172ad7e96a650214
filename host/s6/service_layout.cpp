// SPDX-License-Identifier: Apache-2.0
// host/s6/service_layout.cpp
#include "s6/service_layout.hpp"

#include "s6/run_script.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <cstdio>

namespace warden::host {
namespace {

// FNV-1a, 64 bits: the manifest detects change, it does not resist attack.
std::string content_hash(const std::string &content) {
    uint64_t hash = 0xcbf29ce484222325ull;
    for (const unsigned char c : content) {
        hash ^= c;
        hash *= 0x100000001b3ull;
    }
    char text[17];
    std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(hash));
    return text;
}

}  // namespace

bool made_by_warden(const std::filesystem::path &dir) {
    struct stat st {};
    return ::lstat((dir / kManifestFile).c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

ServiceLayout lay_out_service(const ServiceSpec &spec, const std::filesystem::path &log_dir,
                              const std::filesystem::path &record_dir, const S6Paths &paths) {
    ServiceLayout layout;
    auto add = [&](std::string path, std::string content, mode_t mode) {
        layout.files.push_back(LayoutFile{std::move(path), std::move(content), mode});
    };
    add("run", render_run_script(spec, record_dir / spec.name, paths), 0755);
    add("log/run", render_log_run_script(spec, log_dir, record_dir / (spec.name + ".log"), paths),
        0755);
    add("down-signal", std::to_string(spec.down_signal) + "\n", 0644);
    add("timeout-kill", std::to_string(spec.kill_timeout_ms) + "\n", 0644);
    if (spec.notification_fd != 0)
        add("notification-fd", std::to_string(spec.notification_fd) + "\n", 0644);
    for (const ServiceDataFile &file : spec.files)
        add("data/" + file.path, file.content, static_cast<mode_t>(file.mode));
    std::sort(layout.files.begin(), layout.files.end(),
              [](const LayoutFile &a, const LayoutFile &b) { return a.path < b.path; });

    layout.manifest = "warden-manifest 1\n";
    for (const LayoutFile &file : layout.files) {
        char mode[8];
        std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(file.mode));
        layout.manifest += content_hash(file.content) + " " + mode + " " + file.path + "\n";
    }
    return layout;
}

std::optional<std::map<std::string, std::string>> decode_manifest(std::string_view manifest) {
    constexpr std::string_view kVersion = "warden-manifest 1\n";
    if (manifest.compare(0, kVersion.size(), kVersion) != 0) return std::nullopt;
    manifest.remove_prefix(kVersion.size());
    std::map<std::string, std::string> entries;
    while (!manifest.empty()) {
        const std::size_t end = manifest.find('\n');
        if (end == std::string_view::npos) return std::nullopt;
        const std::string_view line = manifest.substr(0, end);
        manifest.remove_prefix(end + 1);
        // "<16 hex> <4 octal> <path>"
        if (line.size() < 23 || line[16] != ' ' || line[21] != ' ') return std::nullopt;
        for (std::size_t i = 0; i < 16; ++i)
            if (!std::isxdigit(static_cast<unsigned char>(line[i]))) return std::nullopt;
        for (std::size_t i = 17; i < 21; ++i)
            if (line[i] < '0' || line[i] > '7') return std::nullopt;
        const std::string_view path = line.substr(22);
        const bool data = path.compare(0, 5, "data/") == 0 && valid_data_path(path.substr(5));
        if (!data && !valid_data_path(path)) return std::nullopt;
        if (!entries.emplace(std::string(path), std::string(line)).second) return std::nullopt;
    }
    return entries;
}

}  // namespace warden::host
