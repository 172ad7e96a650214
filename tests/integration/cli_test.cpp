// SPDX-License-Identifier: Apache-2.0
// tests/integration/cli_test.cpp — the `warden` executable as a user runs
// it: exit statuses, what goes to stdout, and the log lines on stderr.
#include "plugin_dir.hpp"
#include "process.hpp"
#include "s6_sandbox.hpp"
#include "temp_dir.hpp"
#include "test_paths.hpp"
#include "text.hpp"

#include "s6/svscan.hpp"

#include <future>

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace {

namespace paths = warden::test::paths;
using warden::test::occurrences;
using warden::test::PluginDir;
using warden::test::ProcessOptions;
using warden::test::ProcessResult;
using warden::test::run_process;

using warden::test::kAbi;
using warden::test::S6Sandbox;

ProcessResult warden_run(std::vector<std::string> args, const ProcessOptions &options = {}) {
    args.insert(args.begin(), paths::warden_binary);
    return run_process(args, options);
}

TEST(Cli, help_and_version_exit_zero) {
    const auto help = warden_run({"--help"});
    EXPECT_EQ(help.exit_code, 0) << help.describe();
    EXPECT_EQ(help.out.rfind("Usage: warden", 0), 0u) << help.describe();
    const auto version = warden_run({"--version"});
    EXPECT_EQ(version.exit_code, 0) << version.describe();
    EXPECT_EQ(version.out, "warden 0.1.0 (plugin ABI " + kAbi + ")\n");
}

TEST(Cli, an_unknown_option_exits_two_with_a_clear_error) {
    const auto r = warden_run({"--list-plugins", "--colour=mauve"});
    EXPECT_EQ(r.exit_code, 2) << r.describe();
    EXPECT_EQ(r.out, "");
    EXPECT_EQ(r.err,
              "warden: unrecognised option '--colour=mauve'\n"
              "Try 'warden --help' for more information.\n");
}

TEST(Cli, no_action_runs_the_host_with_the_default_config_file_which_must_be_there) {
    const std::string file = WARDEN_TEST_DEFAULT_CONFIG_FILE;
    if (std::filesystem::exists(file)) GTEST_SKIP() << file << " is there: warden would run";
    const auto r = warden_run({});
    EXPECT_EQ(r.exit_code, 1) << r.describe();
    EXPECT_EQ(r.err,
              "warden: no config file: " + file + " is not there; give one with --config FILE\n");
}

TEST(Cli, lists_good_and_refused_plugins_across_directories) {
    PluginDir good, bad;
    good.add(paths::exec_plugin);
    good.add(paths::abi_c_worker);
    bad.add(paths::abi_newer_major);
    bad.add(paths::not_elf_plugin);
    bad.add(paths::abi_noop, "loose.so", 0666);

    const auto r = warden_run({"--list-plugins", "--plugin-dir", good.path().string(),
                               "--plugin-dir", bad.path().string()});
    EXPECT_EQ(r.exit_code, 0) << r.describe();
    const std::string g = good.path().string(), b = bad.path().string();
    EXPECT_EQ(
        r.out,
        g + "/c_worker.so: c_worker 1.0.0, ABI " + kAbi + ", worker types: echo\n" + g +
            "/exec.so: exec 1.0.0, ABI " + kAbi + ", worker types: exec\n" + b +
            "/loose.so: refused at file check: has mode 0666: writable by group or others\n" + b +
            "/newer_major.so: refused at ABI check: built for ABI 2.0, this host speaks ABI " +
            kAbi + " (major versions differ)\n" + b +
            "/not_elf.so: refused at ELF check: not an ELF file: it does not begin with the ELF "
            "magic number\n" +
            "2 plugins loaded, 3 refused\n");
    EXPECT_EQ(occurrences(r.err, "; plugin skipped\n"), 3) << r.err;
    EXPECT_EQ(occurrences(
                  r.err, "plugin " + b + "/newer_major.so refused at ABI check: built for ABI 2.0"),
              1)
        << r.err;
    EXPECT_EQ(occurrences(r.err, " loaded: "), 2) << r.err;
}

TEST(Cli, exits_one_when_no_plugin_loads) {
    PluginDir bad;
    bad.add(paths::abi_wrong_magic);
    const auto r = warden_run({"--list-plugins", "--plugin-dir", bad.path().string()});
    EXPECT_EQ(r.exit_code, 1) << r.describe();
    EXPECT_NE(r.out.find("0 plugins loaded, 1 refused"), std::string::npos) << r.describe();
}

TEST(Cli, names_a_plugin_directory_that_does_not_exist) {
    PluginDir dir;
    const std::string missing = dir.path().string() + "/nowhere";
    const auto r = warden_run({"--list-plugins", "--plugin-dir", missing});
    EXPECT_EQ(r.exit_code, 1) << r.describe();
    EXPECT_EQ(r.out, missing +
                         ": refused at directory check: does not exist\n"
                         "0 plugins loaded, 1 refused\n");
    EXPECT_NE(
        r.err.find("plugin directory " + missing + " refused: does not exist; its plugins skipped"),
        std::string::npos)
        << r.err;
}

TEST(Cli, resolves_a_relative_plugin_directory_to_an_absolute_path) {
    PluginDir dir;
    dir.add(paths::exec_plugin);
    ProcessOptions in_parent;
    in_parent.cwd = dir.path().parent_path();
    const auto r =
        warden_run({"--list-plugins", "--plugin-dir", dir.path().filename().string()}, in_parent);
    EXPECT_EQ(r.exit_code, 0) << r.describe();
    EXPECT_EQ(r.out.rfind(dir.path().string() + "/exec.so: exec 1.0.0", 0), 0u) << r.describe();
}

TEST(Cli, start_svscan_starts_one_and_leaves_it_running) {
    S6Sandbox sandbox(/*start_svscan=*/false);
    const std::string scan = sandbox.scan_dir().string(), logs = sandbox.log_root().string();
    const auto first = warden_run({"--start-svscan", "--scan-dir", scan, "--log-dir", logs});
    ASSERT_EQ(first.exit_code, 0) << first.describe();
    const auto pid = warden::host::svscan_pid(sandbox.scan_dir());
    ASSERT_TRUE(pid.has_value()) << "no s6-svscan holds " << scan;
    EXPECT_EQ(first.out, "s6-svscan pid " + std::to_string(*pid) + " started on " + scan +
                             ", its output in " + logs + "/_s6-svscan\n");
    EXPECT_TRUE(warden::test::process_alive(*pid)) << "it outlives the host";

    const auto second = warden_run({"--start-svscan", "--scan-dir", scan, "--log-dir", logs});
    ASSERT_EQ(second.exit_code, 0) << second.describe();
    EXPECT_EQ(second.out,
              "s6-svscan pid " + std::to_string(*pid) + " already watches " + scan + "\n");
}

TEST(Cli, two_hosts_starting_s6_svscan_at_once_end_with_one) {
    S6Sandbox sandbox(/*start_svscan=*/false);
    const std::string scan = sandbox.scan_dir().string(), logs = sandbox.log_root().string();
    const std::vector<std::string> args = {"--start-svscan", "--scan-dir", scan, "--log-dir", logs};
    auto a = std::async(std::launch::async, [&] { return warden_run(args); });
    auto b = std::async(std::launch::async, [&] { return warden_run(args); });
    const ProcessResult ra = a.get(), rb = b.get();
    ASSERT_EQ(ra.exit_code, 0) << ra.describe();
    ASSERT_EQ(rb.exit_code, 0) << rb.describe();
    const auto pid = warden::host::svscan_pid(sandbox.scan_dir());
    ASSERT_TRUE(pid.has_value());
    int running = 0;
    for (const pid_t p : sandbox.processes())
        if (warden::test::read_file("/proc/" + std::to_string(p) + "/comm") == "s6-svscan\n")
            ++running;
    EXPECT_EQ(running, 1);
    const std::string both = ra.out + rb.out;
    EXPECT_NE(both.find("s6-svscan pid " + std::to_string(*pid) + " started on " + scan),
              std::string::npos)
        << both;
    const bool loser_says_so =
        both.find("another s6-svscan (pid " + std::to_string(*pid) + ") took " + scan +
                  " at the same time; using it") != std::string::npos ||
        both.find("s6-svscan pid " + std::to_string(*pid) + " already watches " + scan) !=
            std::string::npos;
    EXPECT_TRUE(loser_says_so) << both;
}

TEST(Cli, start_svscan_refuses_a_scan_dir_that_does_not_exist) {
    S6Sandbox sandbox(/*start_svscan=*/false);
    const std::string missing = sandbox.root().string() + "/typo";
    const auto r = warden_run(
        {"--start-svscan", "--scan-dir", missing, "--log-dir", sandbox.log_root().string()});
    EXPECT_EQ(r.exit_code, 1) << r.describe();
    EXPECT_EQ(r.err, "warden: scan dir " + missing + " does not exist\n");
}

TEST(Cli, check_config_accepts_a_clean_file) {
    PluginDir plugins;
    plugins.add(paths::exec_plugin);
    warden::test::TempDir dir;
    warden::test::write_file(dir / "warden.yaml",
                             "workers:\n"
                             "  - type: exec\n"
                             "    name: sleeper\n"
                             "    config: {command: /bin/sleep, args: [infinity]}\n"
                             "  - type: exec\n"
                             "    name: idle\n"
                             "    desired_state: stopped\n"
                             "    config: {command: /bin/true}\n");
    const std::string file = (dir / "warden.yaml").string();
    const auto r =
        warden_run({"--config", file, "--check-config", "--plugin-dir", plugins.path().string()});
    EXPECT_EQ(r.exit_code, 0) << r.describe();
    EXPECT_EQ(r.out, file + ": valid, 2 workers\n");
}

// Every problem in one run, in line order: those the file shows and those
// only the plugins find (an unknown type, a config the plugin refuses).
TEST(Cli, check_config_prints_every_problem_with_its_line) {
    PluginDir plugins;
    plugins.add(paths::exec_plugin);
    warden::test::TempDir dir;
    warden::test::write_file(dir / "warden.yaml",
                             "log_level: loud\n"                     // 1
                             "workers:\n"                            // 2
                             "  - type: exec\n"                      // 3
                             "    name: sleeper\n"                   // 4
                             "    config: {command: sleep}\n"        // 5
                             "  - type: nosuch\n"                    // 6
                             "    name: x\n"                         // 7
                             "  - type: exec\n"                      // 8
                             "    name: Bad Name\n"                  // 9
                             "  - type: exec\n"                      // 10
                             "    name: sleeper\n"                   // 11
                             "    config: {command: /bin/true}\n");  // 12
    const std::string file = (dir / "warden.yaml").string();
    const auto r =
        warden_run({"--config", file, "--check-config", "--plugin-dir", plugins.path().string()});
    EXPECT_EQ(r.exit_code, 1) << r.describe();
    EXPECT_EQ(
        r.out,
        file + ":1: log_level: 'loud' is not one of trace, debug, info, warn, error\n" + file +
            ":3: worker exec/sleeper: invalid config: command: must be an absolute "
            "path, got 'sleep'\n" +
            file + ":6: worker nosuch/x: no loaded plugin offers worker type 'nosuch'\n" + file +
            ":9: workers[2].name: 'Bad Name' is not a worker name "
            "([a-z0-9][a-z0-9_-]{0,63})\n" +
            file + ":10: worker exec/sleeper is defined twice (first at line 3)\n" + file +
            ": 5 problems\n");
}

TEST(Cli, check_config_names_a_file_that_is_not_yaml_or_not_there) {
    warden::test::TempDir dir;
    warden::test::write_file(dir / "broken.yaml", "workers: [\n  {type: exec\n");
    const std::string broken = (dir / "broken.yaml").string();
    const auto r = warden_run({"--config", broken, "--check-config"});
    EXPECT_EQ(r.exit_code, 1) << r.describe();
    EXPECT_EQ(r.out.rfind(broken + ":3: not valid YAML: ", 0), 0u) << r.describe();

    const std::string missing = (dir / "missing.yaml").string();
    const auto m = warden_run({"--config", missing, "--check-config"});
    EXPECT_EQ(m.exit_code, 1) << m.describe();
    EXPECT_EQ(m.err, "warden: config file " + missing + " does not exist\n");
}

// Files that once crashed the host at start, on reload and here: each is
// one problem with its line, and exit 1.
TEST(Cli, check_config_refuses_a_self_referencing_alias_with_its_line) {
    warden::test::TempDir dir;
    warden::test::write_file(dir / "warden.yaml",
                             "workers:\n"
                             "  - type: exec\n"
                             "    name: loop\n"
                             "    config:\n"
                             "      args: &x [*x]\n");
    const std::string file = (dir / "warden.yaml").string();
    const auto r = warden_run({"--config", file, "--check-config"});
    EXPECT_EQ(r.exit_code, 1) << r.describe();
    EXPECT_EQ(r.out, file +
                         ":5: alias *x refers to the value that holds it (&x at line 5); a value "
                         "cannot contain itself\n" +
                         file + ": 1 problem\n");
}

TEST(Cli, check_config_refuses_a_latin1_file_naming_line_and_column) {
    warden::test::TempDir dir;
    warden::test::write_file(dir / "warden.yaml",
                             "workers:\n"
                             "  - type: exec\n"
                             "    name: cafe\n"
                             "    config: {command: /bin/echo, args: [caf\xe9]}\n");
    const std::string file = (dir / "warden.yaml").string();
    const auto r = warden_run({"--config", file, "--check-config"});
    EXPECT_EQ(r.exit_code, 1) << r.describe();
    EXPECT_EQ(r.out, file + ":4: byte 0xE9 at column 44 is not UTF-8; save the file as UTF-8\n" +
                         file + ": 1 problem\n");
}

TEST(Cli, check_config_refuses_dev_zero_naming_it) {
    const auto r = warden_run({"--config", "/dev/zero", "--check-config"});
    EXPECT_EQ(r.exit_code, 1) << r.describe();
    EXPECT_EQ(r.out, "");
    EXPECT_EQ(r.err,
              "warden: config file /dev/zero is a character device; only a regular file is read\n");
}

// A worker type's own check_config (ABI 1.2): the misbehaving plugin's
// "flaky" type runs the worker's check_script with /bin/sh through
// command_run, and reserves its port, in one scratch registry per check.
TEST(Cli, check_config_prints_what_a_worker_types_own_check_finds) {
    PluginDir plugins;
    plugins.add(paths::misbehaving_plugin);
    warden::test::TempDir dir;
    warden::test::write_file(
        dir / "warden.yaml",
        "workers:\n"                                                                // 1
        "  - type: flaky\n"                                                         // 2
        "    name: fine\n"                                                          // 3
        "    config: {check_script: 'echo looks good', port: 4195}\n"               // 4
        "  - type: flaky\n"                                                         // 5
        "    name: broken\n"                                                        // 6
        "    config: {check_script: 'echo input.kafka: no brokers >&2; exit 3'}\n"  // 7
        "  - type: flaky\n"                                                         // 8
        "    name: greedy\n"                                                        // 9
        "    config: {port: 4195}\n"                                                // 10
        "  - type: hangs\n"                                                         // 11
        "    name: unchecked\n");                                                   // 12
    const std::string file = (dir / "warden.yaml").string();
    std::filesystem::create_directory(dir / "tmp");  // where the commands run
    ProcessOptions options;
    options.extra_env = {"TMPDIR=" + (dir / "tmp").string()};
    const auto r = warden_run(
        {"--config", file, "--check-config", "--plugin-dir", plugins.path().string()}, options);
    EXPECT_EQ(r.exit_code, 1) << r.describe();
    EXPECT_EQ(r.out, file +
                         ":5: worker flaky/broken: check_script failed (exit 3): input.kafka: no "
                         "brokers\n" +
                         file +
                         ":8: worker flaky/greedy: port 4195 is reserved by worker flaky/fine "
                         "for http; give flaky/greedy another port\n" +
                         file + ": 2 problems\n");
    EXPECT_TRUE(std::filesystem::is_empty(dir / "tmp")) << "a command's directory was left";
}

TEST(Cli, check_config_passes_when_every_worker_types_own_check_passes) {
    PluginDir plugins;
    plugins.add(paths::misbehaving_plugin);
    warden::test::TempDir dir;
    warden::test::write_file(dir / "warden.yaml",
                             "workers:\n"
                             "  - type: flaky\n"
                             "    name: a\n"
                             "    config: {check_script: 'test -f check.sh', port: 4195}\n"
                             "  - type: flaky\n"
                             "    name: b\n"
                             "    config: {port: 4196}\n"
                             "  - type: both\n"
                             "    name: no-hook\n");
    const std::string file = (dir / "warden.yaml").string();
    const auto r =
        warden_run({"--config", file, "--check-config", "--plugin-dir", plugins.path().string()});
    EXPECT_EQ(r.exit_code, 0) << r.describe();
    EXPECT_EQ(r.out, file + ": valid, 3 workers\n");
}

}  // namespace
