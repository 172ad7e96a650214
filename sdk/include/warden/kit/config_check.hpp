// SPDX-License-Identifier: Apache-2.0
// warden/kit/config_check.hpp — deploy after check: run the program's own
// config check on the exact bytes to be deployed, and keep its verdict.
//
// The program knows its config far better than any copy of its rules could,
// so the kit asks it (`benthos lint`, `nginx -t`) through the host's command
// runner (a private working directory holding the files, a timeout, an audit
// line) before deploying, and deploys only a plan whose fingerprint passed.
// A refused change leaves the running service as it is: the states say so.
// `warden --check-config` runs the same check through the worker type's
// check_config hook.
//
//     const CheckVerdict v = run_check(host, *plan.check, plan.fingerprint(), cancel);
//     if (!v.passed) throw warden::ConfigError(v.message);
//
// THREADING: thread-safe (it only calls the host, whose services are).
#ifndef WARDEN_KIT_CONFIG_CHECK_HPP
#define WARDEN_KIT_CONFIG_CHECK_HPP

#include <warden/host.hpp>
#include <warden/kit/observed.hpp>
#include <warden/kit/plan.hpp>

#include <string>

namespace warden::kit {

/// The first `max_lines` non-blank lines of a command's output, joined by
/// "; "; or how it ended when it printed nothing.
inline std::string output_summary(const CommandResult &result, int max_lines = 3) {
    std::string out;
    int shown = 0;
    std::size_t start = 0;
    const std::string &text = result.output;
    while (start < text.size() && shown < max_lines) {
        std::size_t end = text.find('\n', start);
        if (end == std::string::npos) end = text.size();
        std::string line = text.substr(start, end - start);
        start = end + 1;
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.find_first_not_of(" \t") == std::string::npos) continue;
        out += (shown++ == 0 ? "" : "; ") + line;
    }
    if (out.empty())
        out = result.signal != 0
                  ? "killed by signal " + std::to_string(result.signal)
                  : "exit code " + std::to_string(result.exit_code) + " and no message";
    return out;
}

/// Runs `check` for the plan with `fingerprint`. A config the program
/// refuses is a verdict (passed = false, message "<what> rejected the
/// config: <its words>"), logged at warn. A program that was killed or could
/// not run (exit 126 or 127) gave no verdict: that throws warden::Error, the
/// action fails, and the host runs it again later, so a program installed
/// meanwhile is picked up without a config change.
inline CheckVerdict run_check(const Host &host, const ConfigCheck &check,
                              const std::string &fingerprint, const Cancel &cancel) {
    const CommandResult result = host.run_command(check.command, cancel);
    if (result.signal != 0 || result.exit_code == 126 || result.exit_code == 127)
        throw Error(WARDEN_ERR, check.what + " did not finish: " + output_summary(result));
    CheckVerdict verdict;
    verdict.fingerprint = fingerprint;
    verdict.passed = result.succeeded();
    if (!verdict.passed) {
        verdict.message = check.what + " rejected the config: " + output_summary(result);
        host.warn(verdict.message);
    }
    return verdict;
}

}  // namespace warden::kit

#endif  // WARDEN_KIT_CONFIG_CHECK_HPP
