// SPDX-License-Identifier: Apache-2.0
// host/s6/run_script.cpp
#include "s6/run_script.hpp"

#include <cstdio>

namespace warden::host {
namespace {

std::string program(const S6Paths &paths, const char *name) {
    return execline_word((paths.execline_bin / name).string());
}

std::string shebang(const S6Paths &paths) {
    // -P: no positional parameters, so nothing in the script is substituted.
    return "#!" + paths.execlineb().string() + " -P\n";
}

// The guard's line, or none when the paths name no guard.
std::string guard(const std::filesystem::path &record_file, const S6Paths &paths) {
    if (paths.guard.empty()) return {};
    return execline_word(paths.guard.string()) + " " + execline_word(record_file.string()) + "\n";
}

// The lines that switch the process to the spec's user and group, or none.
// Names pass the account rule (check_service_spec): no word of them reads
// as an option or a uid, and each is quoted like every other word.
std::string account_switch(const ServiceSpec &spec, const S6Paths &paths) {
    if (spec.user.empty()) return {};
    if (spec.group.empty())
        return execline_word(paths.setuidgid().string()) + " " + execline_word(spec.user) + "\n";
    return execline_word(paths.envuidgid().string()) + " " + execline_word(spec.user) + "\n" +
           execline_word(paths.envuidgid().string()) + " \"-g\" " + execline_word(spec.group) +
           "\n" + execline_word(paths.applyuidgid().string()) + " \"-Uz\"\n";
}

}  // namespace

std::string execline_word(std::string_view word) {
    std::string out = "\"";
    for (const char ch : word) {
        const auto c = static_cast<unsigned char>(ch);
        if (c == '"' || c == '\\') {
            out += '\\';
            out += ch;
        } else if (c < 0x20 || c >= 0x7f) {
            char hex[8];
            std::snprintf(hex, sizeof hex, "\\0x%02x", c);
            out += hex;
        } else {
            out += ch;
        }
    }
    out += '"';
    return out;
}

std::string render_run_script(const ServiceSpec &spec, const std::filesystem::path &record_file,
                              const S6Paths &paths) {
    std::string script = shebang(paths);
    // The service's stderr goes to its logger, like its stdout (and so do
    // the guard's words).
    script += program(paths, "fdmove") + " -c 2 1\n";
    script += guard(record_file, paths);
    script += account_switch(spec, paths);
    script += program(paths, "emptyenv") + "\n";
    script += program(paths, "export") + " \"PATH\" " + execline_word(kServicePath) + "\n";
    for (const std::string &entry : spec.env) {
        const std::size_t eq = entry.find('=');
        script += program(paths, "export") + " " + execline_word(entry.substr(0, eq)) + " " +
                  execline_word(entry.substr(eq + 1)) + "\n";
    }
    if (!spec.working_dir.empty())
        script += program(paths, "execline-cd") + " " + execline_word(spec.working_dir) + "\n";
    for (std::size_t i = 0; i < spec.argv.size(); ++i)
        script += (i == 0 ? "" : " ") + execline_word(spec.argv[i]);
    script += "\n";
    return script;
}

std::string render_log_run_script(const ServiceSpec &spec, const std::filesystem::path &log_dir,
                                  const std::filesystem::path &record_file, const S6Paths &paths) {
    return shebang(paths) + guard(record_file, paths) + execline_word(paths.s6_log().string()) +
           " -- " + execline_word("n" + std::to_string(spec.log_max_files)) + " " +
           execline_word("s" + std::to_string(spec.log_max_file_bytes)) + " \"T\" " +
           execline_word(log_dir.string()) + "\n";
}

}  // namespace warden::host
