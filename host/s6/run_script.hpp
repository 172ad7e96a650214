// host/s6/run_script.hpp — the execline scripts s6 runs for a service.
//
// User values (argv, environment, working directory, log directory) reach
// the process byte for byte: every word is written as an execline quoted
// string, with every byte that execline would read specially written as a
// \0xHH escape. No shell ever parses them; execlineb only splits words.
#pragma once

#include "s6/s6_paths.hpp"
#include "s6/service_spec.hpp"

#include <filesystem>
#include <string>
#include <string_view>

namespace warden::host {

/// `word` as one execline word: "..." with \\, \" and \0xHH escapes.
std::string execline_word(std::string_view word);

/// The service's ./run: stderr to the log pipe, the environment, the
/// working directory, then exec into argv.
std::string render_run_script(const ServiceSpec &spec, const S6Paths &paths);

/// The logger's ./run: s6-log with the spec's rotation into `log_dir`.
std::string render_log_run_script(const ServiceSpec &spec, const std::filesystem::path &log_dir,
                                  const S6Paths &paths);

}  // namespace warden::host
