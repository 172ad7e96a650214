// SPDX-License-Identifier: Apache-2.0
// tests/packages/deb_contents_test.cpp — the .deb packages dpkg-buildpackage
// made from this tree (packaging/build-debs), read back: what each holds,
// what it depends on and provides, and what its maintainer scripts do to
// the two units on upgrade and removal.
#include "process.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

namespace {

namespace fs = std::filesystem;
using warden::test::run_process;

const std::string kVersion = WARDEN_TEST_DEB_VERSION;
const std::string kArch = WARDEN_TEST_DEB_ARCH;

class DebPackages : public ::testing::Test {
protected:
    static fs::path deb(const std::string &name) {
        const fs::path file = fs::path(WARDEN_TEST_PACKAGE_DIR) / name;
        EXPECT_TRUE(fs::is_regular_file(file))
            << file << " is missing: packaging/build-debs makes the packages";
        return file;
    }
    static fs::path host() { return deb("warden_" + kVersion + "_" + kArch + ".deb"); }
    static fs::path sdk() { return deb("warden-sdk-dev_" + kVersion + "_all.deb"); }

    static std::string run(const std::vector<std::string> &argv) {
        const auto r = run_process(argv);
        EXPECT_EQ(r.exit_code, 0) << r.describe();
        return r.out;
    }
    static std::string contents(const fs::path &package) {
        return run({"dpkg-deb", "--contents", package.string()});
    }
    static std::string field(const fs::path &package, const std::string &name) {
        return run({"dpkg-deb", "--field", package.string(), name});
    }
    // A maintainer script or control file of the package ("" when none).
    static std::string control_file(const fs::path &package, const std::string &name) {
        const auto file = run_process({"sh", "-c",
                                       "dpkg-deb --ctrl-tarfile \"$1\" | tar -xOf - \"./$2\" "
                                       "2>/dev/null || true",
                                       "sh", package.string(), name});
        return file.out;
    }
    // Each path, or (documentation dh_compress compressed) path.gz.
    static void expect_holds(const std::string &files, const std::vector<std::string> &paths) {
        for (const std::string &path : paths)
            EXPECT_TRUE(files.find("." + path + "\n") != std::string::npos ||
                        files.find("." + path + ".gz\n") != std::string::npos)
                << path << " missing from\n"
                << files;
    }
};

TEST_F(DebPackages, the_host_package_holds_the_host_its_plugins_units_config_monitoring_and_docs) {
    EXPECT_EQ(field(host(), "Package"), "warden\n");
    const std::string files = contents(host());
    expect_holds(files, {"/usr/bin/warden",
                         "/usr/libexec/warden/warden-guard",
                         "/usr/lib/warden/plugins/exec.so",
                         "/usr/lib/warden/plugins/benthos.so",
                         "/usr/lib/warden/plugins/redpanda.so",
                         "/usr/lib/warden/plugins/graphql.so",
                         "/usr/lib/warden/topic-browser/server.mjs",
                         "/usr/lib/warden/topic-browser/node_modules/graphql/package.json",
                         "/lib/systemd/system/warden.service",
                         "/lib/systemd/system/warden-svscan.service",
                         "/usr/lib/sysusers.d/warden.conf",
                         "/usr/lib/tmpfiles.d/warden.conf",
                         "/etc/warden/warden.yaml",
                         "/usr/share/man/man8/warden.8",
                         "/usr/share/man/man5/warden.yaml.5",
                         "/usr/share/bash-completion/completions/warden",
                         "/usr/share/doc/warden/README.monitoring.md",
                         "/usr/share/doc/warden/copyright",
                         "/usr/share/doc/warden/changelog.Debian",
                         "/usr/share/doc/warden/README.md",
                         "/usr/share/doc/warden/README.benthos.md"});
    EXPECT_EQ(files.find("/lib/warden/topic-browser/test/"), std::string::npos) << files;
    EXPECT_EQ(files.find("/include/"), std::string::npos) << files;
    EXPECT_EQ(files.find("/usr/local/"), std::string::npos) << files;
    // The Grafana dashboard and the alerting rules, which Grafana and
    // promtool read as they are: never compressed.
    for (const char *file :
         {"warden-dashboard.json", "warden-alerts.yml", "warden-alerts.test.yml"})
        EXPECT_NE(files.find(std::string("./usr/share/warden/monitoring/") + file + "\n"),
                  std::string::npos)
            << file << " missing, or compressed, in\n"
            << files;
    EXPECT_EQ(control_file(host(), "conffiles"), "/etc/warden/warden.yaml\n");
}

TEST_F(DebPackages, the_host_package_depends_on_its_libraries_and_programs_and_provides_the_abi) {
    const std::string depends = field(host(), "Depends");
    for (const char *needed : {"libspdlog", "libboost-program-options", "libcurl4", "libsystemd0",
                               "libstdc++6", "s6 (>= 2.11)", "execline (>= 2.9)", "nodejs (>= 18)",
                               "procps",  // kill, for systemctl reload
                               // the sysusers.d entry is applied by systemd-sysusers
                               "systemd | systemd-standalone-sysusers | systemd-sysusers"})
        EXPECT_NE(depends.find(needed), std::string::npos) << needed << " not in " << depends;
    EXPECT_EQ(field(host(), "Provides"),
              std::string("warden-plugin-abi-1 (= ") + WARDEN_TEST_ABI_VERSION + ")\n");
}

TEST_F(DebPackages, an_upgrade_restarts_the_host_and_never_touches_s6_svscan) {
    const std::string postinst = control_file(host(), "postinst");
    const std::string prerm = control_file(host(), "prerm");
    EXPECT_NE(postinst.find("systemd-sysusers"), std::string::npos) << postinst;
    EXPECT_NE(postinst.find("systemd-tmpfiles"), std::string::npos) << postinst;
    // The host: restarted after an upgrade, started after an install.
    EXPECT_NE(postinst.find("_dh_action=restart"), std::string::npos) << postinst;
    EXPECT_NE(postinst.find("deb-systemd-invoke $_dh_action 'warden.service'"), std::string::npos)
        << postinst;
    // s6-svscan: only started (nothing to one that runs), never restarted.
    EXPECT_NE(postinst.find("deb-systemd-invoke start 'warden-svscan.service'"), std::string::npos)
        << postinst;
    EXPECT_EQ(postinst.find("restart 'warden-svscan.service'"), std::string::npos) << postinst;
    // Both stopped on removal only, not before an upgrade.
    for (const char *unit : {"'warden.service'", "'warden-svscan.service'"}) {
        const auto stop = prerm.find(std::string("deb-systemd-invoke stop ") + unit);
        ASSERT_NE(stop, std::string::npos) << unit << " in\n" << prerm;
        const auto guard = prerm.rfind("if ", stop);
        ASSERT_NE(guard, std::string::npos) << prerm;
        EXPECT_NE(prerm.substr(guard, stop - guard).find("\"$1\" = remove"), std::string::npos)
            << unit << " is stopped on upgrades too:\n"
            << prerm;
    }
    const std::string postrm = control_file(host(), "postrm");
    EXPECT_NE(postrm.find("rm -rf /var/log/warden /var/lib/warden /run/warden"), std::string::npos)
        << postrm;
}

TEST_F(DebPackages, the_host_has_a_debug_symbols_package) {
    const fs::path dbgsym = deb("warden-dbgsym_" + kVersion + "_" + kArch + ".deb");
    EXPECT_EQ(field(dbgsym, "Package"), "warden-dbgsym\n");
    EXPECT_NE(contents(dbgsym).find("./usr/lib/debug/.build-id/"), std::string::npos);
}

TEST_F(DebPackages, the_sdk_package_is_architecture_independent_and_holds_the_sdk_and_its_docs) {
    EXPECT_EQ(field(sdk(), "Architecture"), "all\n");
    const std::string files = contents(sdk());
    expect_holds(
        files, {"/usr/include/warden/plugin.h", "/usr/include/warden/testing/fake_host.hpp",
                "/usr/share/cmake/Warden/WardenConfig.cmake", "/usr/share/pkgconfig/warden-sdk.pc",
                "/usr/share/warden/samples/exec/CMakeLists.txt",
                "/usr/share/warden/samples/exec/README.md",
                "/usr/share/warden/samples/command/command.cpp",
                "/usr/share/doc/warden-sdk-dev/plugin-interface.md",
                "/usr/share/doc/warden-sdk-dev/copyright"});
    EXPECT_EQ(files.find("/bin/"), std::string::npos) << files;
    EXPECT_EQ(files.find("/usr/share/warden/monitoring"), std::string::npos) << files;
    EXPECT_NE(field(sdk(), "Description").find("SDK for writing Warden worker plugins"),
              std::string::npos);
}

}  // namespace
