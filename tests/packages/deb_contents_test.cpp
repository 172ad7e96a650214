// SPDX-License-Identifier: Apache-2.0
// tests/integration/packaging_test.cpp — the .deb packages cpack builds from
// this tree: their names, what each holds, and what they depend on.
#include "process.hpp"
#include "test_paths.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

namespace {

namespace fs = std::filesystem;
namespace paths = warden::test::paths;
using warden::test::run_process;

// The packages are built once, by the ctest fixture DebPackages.cpack
// (tests/integration/CMakeLists.txt), into paths::deb_packages_dir: each
// test here reads them back.
class DebPackages : public ::testing::Test {
protected:
    void SetUp() override {
        ASSERT_TRUE(fs::is_directory(out_))
            << out_ << " is missing: the ctest fixture DebPackages.cpack builds the packages "
            << "(ctest -R DebPackages)";
    }
    fs::path deb(const std::string &prefix) const {
        for (const auto &entry : fs::directory_iterator(out_))
            if (entry.path().extension() == ".deb" &&
                entry.path().filename().string().rfind(prefix, 0) == 0)
                return entry.path();
        return {};
    }
    static std::string contents(const fs::path &package) {
        const auto r = run_process({"dpkg-deb", "--contents", package.string()});
        EXPECT_EQ(r.exit_code, 0) << r.describe();
        return r.out;
    }
    static std::string field(const fs::path &package, const std::string &name) {
        const auto r = run_process({"dpkg-deb", "--field", package.string(), name});
        EXPECT_EQ(r.exit_code, 0) << r.describe();
        return r.out;
    }

    const fs::path out_ = paths::deb_packages_dir;
};

TEST_F(DebPackages, the_host_package_holds_the_host_and_its_plugins_and_names_its_libraries) {
    const fs::path host = deb("warden_0.1.0_");
    ASSERT_FALSE(host.empty()) << "no warden_*.deb";
    EXPECT_EQ(field(host, "Package"), "warden\n");
    const std::string files = contents(host);
    EXPECT_NE(files.find("/bin/warden\n"), std::string::npos) << files;
    EXPECT_NE(files.find("/lib/warden/plugins/exec.so\n"), std::string::npos) << files;
    EXPECT_NE(files.find("/lib/warden/plugins/benthos.so\n"), std::string::npos) << files;
    EXPECT_NE(files.find("/lib/warden/plugins/redpanda.so\n"), std::string::npos) << files;
    EXPECT_NE(files.find("/lib/warden/plugins/graphql.so\n"), std::string::npos) << files;
    // The topic browser beside the plugins, with its modules, without its tests.
    EXPECT_NE(files.find("/lib/warden/topic-browser/server.mjs\n"), std::string::npos) << files;
    EXPECT_NE(files.find("/lib/warden/topic-browser/node_modules/graphql/package.json\n"),
              std::string::npos)
        << files;
    EXPECT_EQ(files.find("/lib/warden/topic-browser/test/"), std::string::npos) << files;
    EXPECT_EQ(files.find("/include/"), std::string::npos) << files;
    const std::string depends = field(host, "Depends");
    for (const char *library : {"libspdlog", "libboost-program-options", "libcurl4", "libstdc++6",
                                "s6 (>= 2.11)", "execline (>= 2.9)", "nodejs (>= 18)"})
        EXPECT_NE(depends.find(library), std::string::npos) << depends;
}

TEST_F(DebPackages, the_sdk_package_is_architecture_independent_and_holds_the_sdk) {
    const fs::path sdk = deb("warden-sdk-dev_0.1.0_all");
    ASSERT_FALSE(sdk.empty()) << "no warden-sdk-dev_*_all.deb";
    EXPECT_EQ(field(sdk, "Architecture"), "all\n");
    const std::string files = contents(sdk);
    for (const char *file :
         {"/include/warden/plugin.h\n", "/include/warden/testing/fake_host.hpp\n",
          "/share/cmake/Warden/WardenConfig.cmake\n", "/share/pkgconfig/warden-sdk.pc\n",
          "/share/warden/samples/exec/CMakeLists.txt\n"})
        EXPECT_NE(files.find(file), std::string::npos) << file << " missing from\n" << files;
    EXPECT_EQ(files.find("/bin/"), std::string::npos) << files;
}

}  // namespace
