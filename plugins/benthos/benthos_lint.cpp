// benthos_lint.cpp — running `benthos lint` through the host.
#include "benthos_lint.hpp"

#include <string>

namespace benthos_plugin {
namespace {

// A reason shows a few of lint's lines; the rest is in the host's log.
constexpr int kLinesShown = 3;

std::string summary(const warden::CommandResult &result) {
    std::string out;
    int shown = 0;
    size_t start = 0;
    const std::string &text = result.output;
    while (start < text.size() && shown < kLinesShown) {
        size_t end = text.find('\n', start);
        if (end == std::string::npos) end = text.size();
        const std::string line = text.substr(start, end - start);
        start = end + 1;
        if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
        out += (shown++ == 0 ? "" : "; ") + line;
    }
    if (out.empty())
        out = result.signal != 0
                  ? "killed by signal " + std::to_string(result.signal)
                  : "exit code " + std::to_string(result.exit_code) + " and no message";
    return out;
}

}  // namespace

LintVerdict lint(const warden::Host &host, const Rendering &rendering,
                 const warden::Cancel &cancel) {
    const warden::CommandResult result = host.run_command(rendering.lint_command(), cancel);
    // Killed, or not run at all (126, 127: the shell's codes for a binary
    // that cannot run): no verdict on the config; the action fails, and the
    // host runs it again later.
    if (result.signal != 0 || result.exit_code == 126 || result.exit_code == 127)
        throw warden::Error(WARDEN_ERR, "benthos lint did not finish: " + summary(result));
    LintVerdict verdict;
    verdict.fingerprint = rendering.fingerprint;
    verdict.passed = result.succeeded();
    if (!verdict.passed) {
        verdict.message = "benthos lint rejected the config: " + summary(result);
        host.warn(verdict.message);
    }
    return verdict;
}

}  // namespace benthos_plugin
