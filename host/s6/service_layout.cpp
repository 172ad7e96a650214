// host/s6/service_layout.cpp
#include "s6/service_layout.hpp"

#include "s6/run_script.hpp"

#include <algorithm>
#include <cstdio>
#include <sstream>

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

ServiceLayout lay_out_service(const ServiceSpec &spec, const std::filesystem::path &log_dir,
                              const S6Paths &paths) {
    ServiceLayout layout;
    auto add = [&](std::string path, std::string content, mode_t mode) {
        layout.files.push_back(LayoutFile{std::move(path), std::move(content), mode});
    };
    add("run", render_run_script(spec, paths), 0755);
    add("log/run", render_log_run_script(spec, log_dir, paths), 0755);
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

std::map<std::string, std::string> manifest_entries(const std::string &manifest) {
    std::map<std::string, std::string> entries;
    std::istringstream lines(manifest);
    std::string line;
    std::getline(lines, line);  // the version line
    while (std::getline(lines, line)) {
        const std::size_t second_space = line.find(' ', line.find(' ') + 1);
        if (second_space != std::string::npos) entries[line.substr(second_space + 1)] = line;
    }
    return entries;
}

}  // namespace warden::host
