// SPDX-License-Identifier: Apache-2.0
// tests/integration/sdk_install_test.cpp — the SDK as a third party gets it:
// installed into a staging prefix with `cmake --install`, then used from a
// directory outside this tree: the installed samples (exec, and command,
// the smallest worker on the kit) built and their own tests run with
// find_package(Warden) and warden_add_plugin, and a C plugin built with
// nothing but cc and the header. The host loads them all, and runs a real
// service of the command sample on real s6.
#include "plugin_dir.hpp"
#include "process.hpp"
#include "s6_sandbox.hpp"
#include "temp_dir.hpp"
#include "test_paths.hpp"
#include "text.hpp"

#include <signal.h>

#include <gtest/gtest.h>

#include <cctype>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;
namespace paths = warden::test::paths;
using namespace std::chrono_literals;
using warden::test::BackgroundProcess;
using warden::test::kAbi;
using warden::test::occurrences;
using warden::test::PluginDir;
using warden::test::ProcessOptions;
using warden::test::ProcessResult;
using warden::test::run_process;
using warden::test::S6Sandbox;
using warden::test::TempDir;
using warden::test::wait_until;
using warden::test::write_file;

ProcessResult run_slow(const std::vector<std::string> &argv, const ProcessOptions &base = {}) {
    ProcessOptions options = base;
    options.timeout = std::chrono::minutes(10);
    return run_process(argv, options);
}

class InstalledSdk : public ::testing::Test {
protected:
    void SetUp() override {
        const auto r = run_slow({paths::cmake_command, "--install", paths::build_dir, "--prefix",
                                 prefix(), "--component", "sdk"});
        ASSERT_EQ(r.exit_code, 0) << r.describe();
    }
    std::string prefix() const { return staging_.path().string(); }

    // `warden --list-plugins` on a directory holding just `plugin`.
    ProcessResult list(const fs::path &plugin) {
        PluginDir dir;
        dir.add(plugin);
        return run_process(
            {paths::warden_binary, "--list-plugins", "--plugin-dir", dir.path().string()});
    }

    // Builds the installed sample `name` out of tree against the staged SDK,
    // as a plugin author would, runs its own tests (`with_tests`), checks
    // that the plugin exports its entry symbol only and that the host lists
    // it. Returns the plugin's path.
    fs::path build_sample(const std::string &name, bool with_tests = true) {
        const fs::path build = work_ / (name + "-build");
        std::string option = name + "_SAMPLE_BUILD_TESTS";
        for (char &c : option) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        const auto configure =
            run_slow({paths::cmake_command, "-S", prefix() + "/share/warden/samples/" + name, "-B",
                      build.string(), "-G", "Ninja", "-DCMAKE_BUILD_TYPE=Release",
                      "-DCMAKE_PREFIX_PATH=" + prefix(),
                      std::string("-DCMAKE_CXX_COMPILER=") + paths::cxx_compiler,
                      "-DCMAKE_CXX_FLAGS=-Wall -Wextra -Wpedantic -Werror",
                      "-D" + option + "=" + (with_tests ? "ON" : "OFF")});
        EXPECT_EQ(configure.exit_code, 0) << configure.describe();
        const auto compile = run_slow({paths::cmake_command, "--build", build.string(), "-j", "2"});
        EXPECT_EQ(compile.exit_code, 0) << compile.describe();

        if (with_tests) {
            const std::string ctest =
                (fs::path(paths::cmake_command).parent_path() / "ctest").string();
            const auto tests =
                run_slow({ctest, "--test-dir", build.string(), "--output-on-failure"});
            EXPECT_EQ(tests.exit_code, 0) << tests.describe();
            EXPECT_NE(tests.out.find("100% tests passed"), std::string::npos) << tests.describe();
        }

        const fs::path plugin = build / (name + ".so");
        EXPECT_TRUE(fs::is_regular_file(plugin)) << plugin;
        const auto symbols = run_process({"nm", "-D", "--defined-only", plugin.string()});
        EXPECT_EQ(symbols.exit_code, 0) << symbols.describe();
        EXPECT_EQ(symbols.out.substr(symbols.out.find(' ') + 1), "T warden_plugin_entry\n")
            << "warden_add_plugin must export the entry symbol only:\n"
            << symbols.out;

        const auto listed = list(plugin);
        EXPECT_EQ(listed.exit_code, 0) << listed.describe();
        EXPECT_NE(listed.out.find(name + ".so: " + name + " 1.0.0, ABI " + kAbi +
                                  ", worker types: " + name + "\n"),
                  std::string::npos)
            << listed.describe();
        return plugin;
    }

    TempDir staging_{"warden-sdk-staging"};
    TempDir work_{"warden-sdk-consumer"};
};

TEST_F(InstalledSdk, installs_headers_the_cmake_package_a_pkg_config_file_and_the_samples) {
    for (const char *file : {"include/warden/plugin.h",
                             "include/warden/plugin.hpp",
                             "include/warden/worker.hpp",
                             "include/warden/detail/trampolines.hpp",
                             "include/warden/testing/fake_host.hpp",
                             "include/warden/kit.hpp",
                             "include/warden/kit/service_worker.hpp",
                             "include/warden/kit/prometheus.hpp",
                             "share/cmake/Warden/WardenConfig.cmake",
                             "share/cmake/Warden/WardenConfigVersion.cmake",
                             "share/cmake/Warden/WardenTargets.cmake",
                             "share/cmake/Warden/WardenPlugin.cmake",
                             "share/cmake/Warden/warden_plugin.map",
                             "share/pkgconfig/warden-sdk.pc",
                             "share/warden/samples/exec/CMakeLists.txt",
                             "share/warden/samples/exec/exec_worker.hpp",
                             "share/warden/samples/exec/tests/exec_worker_test.cpp",
                             "share/warden/samples/command/CMakeLists.txt",
                             "share/warden/samples/command/command.cpp",
                             "share/warden/samples/command/tests/command_test.cpp"})
        EXPECT_TRUE(fs::is_regular_file(staging_.path() / file)) << file;
    EXPECT_FALSE(fs::exists(staging_.path() / "bin/warden")) << "the host is not part of the SDK";
}

// The smallest useful worker stays that: the kit does the rest.
TEST_F(InstalledSdk, the_command_sample_is_at_most_60_lines_and_its_test_30) {
    const auto lines = [](const fs::path &file) {
        std::ifstream in(file);
        std::string line;
        int n = 0;
        while (std::getline(in, line)) ++n;
        return n;
    };
    const fs::path sample = staging_.path() / "share/warden/samples/command";
    EXPECT_LE(lines(sample / "command.cpp"), 60);
    EXPECT_LE(lines(sample / "tests/command_test.cpp"), 30);
}

TEST_F(InstalledSdk, finds_the_package_by_abi_major_version_only) {
    const fs::path project = work_ / "consumer";
    fs::create_directories(project);
    write_file(project / "CMakeLists.txt",
               "cmake_minimum_required(VERSION 3.25)\n"
               "project(consumer LANGUAGES C CXX)\n"
               "find_package(Warden ${WANT} REQUIRED)\n"
               "if(NOT TARGET Warden::sdk OR NOT TARGET Warden::sdk_cpp OR NOT COMMAND "
               "warden_add_plugin)\n"
               "  message(FATAL_ERROR \"incomplete package\")\n"
               "endif()\n"
               "message(STATUS \"found Warden ${Warden_VERSION}\")\n");
    const auto configure = [&](const char *want) {
        return run_slow({paths::cmake_command, "-S", project.string(), "-B",
                         (work_ / (std::string("build-") + want)).string(),
                         "-DCMAKE_PREFIX_PATH=" + prefix(), std::string("-DWANT=") + want});
    };
    const auto ok = configure("1.0");
    EXPECT_EQ(ok.exit_code, 0) << ok.describe();
    EXPECT_NE(ok.out.find("found Warden " + kAbi), std::string::npos) << ok.describe();
    const auto newer = configure("2.0");
    EXPECT_NE(newer.exit_code, 0) << newer.describe();
    EXPECT_NE(newer.err.find("version: " + kAbi), std::string::npos) << newer.describe();
}

// The command sample's build below runs its tests out of tree too; the exec
// sample's own tests run in this tree's build.
TEST_F(InstalledSdk, builds_the_exec_sample_out_of_tree_and_loads_it) {
    build_sample("exec", /*with_tests=*/false);
}

TEST_F(InstalledSdk, the_command_sample_built_out_of_tree_runs_a_service_under_the_host) {
    const fs::path plugin = build_sample("command");
    ASSERT_FALSE(HasFailure());

    S6Sandbox sandbox(/*start_svscan=*/false);
    PluginDir plugins;
    plugins.add(plugin);
    const fs::path config = work_ / "warden.yaml";
    write_file(config, "scan_dir: " + sandbox.scan_dir().string() + "\nplugin_dirs: [" +
                           plugins.path().string() +
                           "]\nsupervisor: {tick_ms: 20, observation_interval_ms: 200}\n"
                           "workers:\n"
                           "  - type: command\n"
                           "    name: clock\n"
                           "    desired_state: running\n"
                           "    config: {command: " +
                           std::string(paths::service_fixture) + ", args: [say, hi]}\n");
    BackgroundProcess host({paths::warden_binary, "--config", config.string(), "--log-dir",
                            sandbox.log_root().string()},
                           work_ / "host.out", work_ / "host.err");
    ASSERT_TRUE(wait_until(
        [&] { return occurrences(host.err(), "command/clock: starting -> running") > 0; }, 30s))
        << host.err();
    const auto status =
        run_process({paths::warden_binary, "--config", config.string(), "--status"});
    EXPECT_EQ(status.exit_code, 0) << status.describe();
    EXPECT_NE(status.out.find("command  clock  running  running-healthy"), std::string::npos)
        << status.out;
    EXPECT_NE(status.out.find("process "), std::string::npos) << status.out;
    host.signal(SIGTERM);
    EXPECT_TRUE(host.wait(20s)) << host.err();
}

TEST_F(InstalledSdk, a_c99_plugin_builds_with_cc_and_the_header_alone) {
    const fs::path dir = work_ / "hello";
    fs::create_directories(dir);
    fs::copy_file(HELLO_PLUGIN_SOURCE, dir / "hello_plugin.c");

    ProcessOptions pkg;
    pkg.extra_env = {"PKG_CONFIG_PATH=" + prefix() + "/share/pkgconfig"};
    const auto cflags = run_process({"pkg-config", "--cflags", "warden-sdk"}, pkg);
    ASSERT_EQ(cflags.exit_code, 0) << cflags.describe();
    std::string include_flag = cflags.out.substr(0, cflags.out.find_last_not_of(" \n") + 1);
    ASSERT_EQ(include_flag.rfind("-I", 0), 0u) << include_flag;
    EXPECT_TRUE(fs::exists(fs::path(include_flag.substr(2)) / "warden/plugin.h")) << include_flag;
    // Where a plugin built with this SDK goes.
    const auto plugindir = run_process({"pkg-config", "--variable=plugindir", "warden-sdk"}, pkg);
    ASSERT_EQ(plugindir.exit_code, 0) << plugindir.describe();
    EXPECT_EQ(fs::path(plugindir.out.substr(0, plugindir.out.find('\n'))).lexically_normal(),
              (fs::path(prefix()) / "lib/warden/plugins").lexically_normal())
        << plugindir.describe();

    ProcessOptions in_dir;
    in_dir.cwd = dir;
    const auto compile = run_process(
        {paths::c_compiler, "-std=c99", "-pedantic", "-Wall", "-Wextra", "-Werror", "-shared",
         "-fPIC", "-fvisibility=hidden", include_flag, "hello_plugin.c", "-o", "hello.so"},
        in_dir);
    ASSERT_EQ(compile.exit_code, 0) << compile.describe();

    const auto listed = list(dir / "hello.so");
    EXPECT_EQ(listed.exit_code, 0) << listed.describe();
    EXPECT_NE(listed.out.find("hello.so: hello 0.1.0, ABI " + kAbi + ", worker types: hello\n"),
              std::string::npos)
        << listed.describe();
    EXPECT_NE(listed.err.find("[plugin hello] hello plugin ready"), std::string::npos)
        << listed.describe();
}

}  // namespace
