// SPDX-License-Identifier: Apache-2.0
// tests/abi/loaded_file_test.cpp — the host loads the very file it checked,
// maps nothing of a truncated one, and names each plugin in its log before
// any of the plugin's code runs.
#include "plugins/plugin_registry.hpp"
#include "trust/open_trusted.hpp"

#include "log_capture.hpp"
#include "plugin_dir.hpp"
#include "test_paths.hpp"

#include <gtest/gtest.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <dlfcn.h>
#include <elf.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

namespace warden::host {
namespace {

namespace paths = warden::test::paths;
using warden::test::LogCapture;
using warden::test::PluginDir;

// The ELF and program headers of a built plugin, read the plain way.
struct Headers {
    explicit Headers(const std::filesystem::path &file) {
        const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
        EXPECT_GE(fd, 0) << file;
        EXPECT_EQ(::pread(fd, &elf, sizeof elf, 0), static_cast<ssize_t>(sizeof elf));
        segments.resize(elf.e_phnum);
        const auto table = static_cast<ssize_t>(elf.e_phnum * sizeof(Elf64_Phdr));
        EXPECT_EQ(::pread(fd, segments.data(), static_cast<std::size_t>(table),
                          static_cast<off_t>(elf.e_phoff)),
                  table);
        ::close(fd);
    }
    Elf64_Ehdr elf{};
    std::vector<Elf64_Phdr> segments;
};

std::string past_the_end(const std::string &what, std::uint64_t offset, std::uint64_t length,
                         off_t size) {
    return what + " (offset " + std::to_string(offset) + ", " + std::to_string(length) +
           " bytes) runs past the end of the file (" + std::to_string(size) +
           " bytes): truncated or damaged";
}

// One log line is `line`, and `earlier` comes before it.
void expect_before(const LogCapture &log, const std::string &earlier, const std::string &line) {
    const auto lines = log.lines();
    const auto first = std::find(lines.begin(), lines.end(), earlier);
    const auto second = std::find(lines.begin(), lines.end(), line);
    ASSERT_NE(first, lines.end()) << "no line \"" << earlier << "\" in:\n" << log.text();
    ASSERT_NE(second, lines.end()) << "no line \"" << line << "\" in:\n" << log.text();
    EXPECT_LT(first, second) << log.text();
}

// A copy of noop.so cut short, as a full disk or a broken download leaves
// it. Mapping it would kill this test with SIGBUS; it must be refused with
// one line instead, and nothing of it mapped.
void expect_cut_refused(off_t size, const std::string &cause) {
    SCOPED_TRACE("cut to " + std::to_string(size) + " bytes");
    LogCapture log;
    PluginDir dir;
    const auto file = dir.add(paths::abi_noop);
    ASSERT_EQ(::truncate(file.c_str(), size), 0);
    PluginRegistry registry;
    registry.load_directory(dir.path());
    ASSERT_EQ(registry.records().size(), 1u);
    EXPECT_EQ(registry.loaded_count(), 0u);
    EXPECT_EQ(log.count("warning plugin " + file.string() + " refused at ELF check: " + cause +
                        "; plugin skipped"),
              1)
        << log.text();
    EXPECT_EQ(log.count(": loading"), 0) << "nothing of a refused file runs\n" << log.text();
    EXPECT_EQ(::dlopen(file.c_str(), RTLD_NOW | RTLD_NOLOAD), nullptr);
}

TEST(LoadedFile, a_truncated_plugin_is_refused_at_the_elf_check_and_the_host_lives) {
    const Headers noop(paths::abi_noop);
    const off_t whole = static_cast<off_t>(std::filesystem::file_size(paths::abi_noop));

    expect_cut_refused(40, "truncated: 40 bytes, shorter than an ELF header (64 bytes)");

    const std::uint64_t table = noop.elf.e_phnum * sizeof(Elf64_Phdr);
    const auto in_table = static_cast<off_t>(noop.elf.e_phoff + table / 2);
    expect_cut_refused(in_table,
                       past_the_end("the program header table", noop.elf.e_phoff, table, in_table));

    // Inside each PT_LOAD segment that starts past the headers: the code,
    // the read-only data, and the writable data that holds the dynamic
    // section.
    int cuts = 0;
    for (std::size_t i = 0; i < noop.segments.size(); ++i) {
        const Elf64_Phdr &segment = noop.segments[i];
        if (segment.p_type != PT_LOAD || segment.p_offset == 0 || segment.p_filesz < 2) continue;
        const auto in_segment = static_cast<off_t>(segment.p_offset + segment.p_filesz / 2);
        for (std::size_t j = 0; j < i; ++j) {
            const Elf64_Phdr &earlier = noop.segments[j];
            if (earlier.p_type != PT_LOAD && earlier.p_type != PT_DYNAMIC) continue;
            ASSERT_LE(earlier.p_offset + earlier.p_filesz, static_cast<std::uint64_t>(in_segment))
                << "segment " << j << " would be named first";
        }
        expect_cut_refused(in_segment,
                           past_the_end("PT_LOAD segment " + std::to_string(i), segment.p_offset,
                                        segment.p_filesz, in_segment));
        ++cuts;
    }
    EXPECT_GE(cuts, 2) << "noop.so has fewer segments than this test expects";

    expect_cut_refused(whole - 1, past_the_end("the section header table", noop.elf.e_shoff,
                                               noop.elf.e_shnum * sizeof(Elf64_Shdr), whole - 1));
}

TEST(LoadedFile, the_log_names_the_plugin_before_its_init_runs) {
    LogCapture log;
    PluginDir dir;
    const auto file = dir.add(paths::abi_lifecycle);
    PluginRegistry registry;
    registry.load_directory(dir.path());
    ASSERT_EQ(registry.loaded_count(), 1u) << log.text();
    expect_before(log, "info plugin " + file.string() + ": loading",
                  "info [plugin lifecycle] lifecycle: init");
    EXPECT_EQ(log.count(file.string() + ": loading"), 1) << log.text();
}

// The plugin's constructor kills the process before any Warden code of it
// runs: the line naming the file must be out already. (The child is forked
// with the directory already made, so the parent removes it afterwards.)
TEST(LoadedFileDeathTest, the_log_names_a_plugin_whose_constructor_kills_the_host) {
    GTEST_FLAG_SET(death_test_style, "fast");
    PluginDir dir;
    const auto file = dir.add(paths::abi_constructor_kills);
    EXPECT_DEATH(
        {
            spdlog::set_default_logger(spdlog::stderr_logger_st("constructor_kills"));
            PluginRegistry registry;
            registry.load_directory(dir.path());
        },
        "plugin " + file.string() + ": loading");
}

// The path is opened and checked, then another library is renamed over it
// before the load: the library loaded is the one that was checked.
TEST(LoadedFile, what_is_loaded_is_the_file_that_was_checked_not_what_the_path_names_later) {
    LogCapture log;
    PluginDir dir;
    const auto file = dir.add(paths::abi_noop, "plugin.so");
    Result<UniqueFd> opened_dir = open_trusted(dir.path(), TrustedKind::directory);
    ASSERT_TRUE(opened_dir) << opened_dir.error().message;
    Result<PluginFile> checked = open_plugin_file(opened_dir->fd, "plugin.so", file);
    ASSERT_TRUE(checked) << checked.error().message;

    const auto swapped = dir.add(paths::abi_c_worker, "swap.tmp");
    std::filesystem::rename(swapped, file);

    auto loaded = load_plugin(std::move(checked.value()), {});
    const auto *plugin = std::get_if<std::shared_ptr<LoadedPlugin>>(&loaded);
    ASSERT_NE(plugin, nullptr) << std::get<Refusal>(loaded).message();
    EXPECT_EQ((*plugin)->file(), file);
    EXPECT_EQ((*plugin)->info().name, "noop");
    EXPECT_TRUE((*plugin)->info().worker_types.empty());
    EXPECT_EQ(log.count("info plugin " + file.string() + ": loading"), 1) << log.text();

    // The path itself now names the other library, and a fresh load says so.
    PluginRegistry registry;
    registry.load_directory(dir.path());
    ASSERT_NE(registry.find_worker_type("echo"), nullptr) << log.text();
    EXPECT_EQ(registry.find_worker_type("echo")->plugin_name(), "c_worker");
}

// Each plugin is loaded as /proc/self/fd/N. The dynamic loader finds a
// library already loaded under the same name, so if N were ever free again,
// the next plugin would be handed the earlier library in its place.
TEST(LoadedFile, a_plugin_loaded_after_a_refused_one_is_itself) {
    LogCapture log;
    PluginDir dir;
    dir.add(paths::abi_entry_returns_null, "a.so");  // loaded, then refused
    dir.add(paths::abi_c_worker, "b.so");
    PluginRegistry registry;
    registry.load_directory(dir.path());
    ASSERT_EQ(registry.records().size(), 2u);
    EXPECT_EQ(registry.records()[0].refusal->step, "entry call") << log.text();
    ASSERT_NE(registry.records()[1].plugin, nullptr) << log.text();
    EXPECT_EQ(registry.records()[1].plugin->info().name, "c_worker");
    EXPECT_EQ(log.count("plugin " + (dir.path() / "b.so").string() + " loaded: c_worker 1.0.0"), 1)
        << log.text();
}

TEST(LoadedFile, a_plugin_loaded_after_the_registry_of_another_went_is_itself) {
    LogCapture log;
    PluginDir first, second;
    first.add(paths::abi_noop, "plugin.so");
    second.add(paths::abi_c_worker, "plugin.so");
    {
        PluginRegistry registry;
        registry.load_directory(first.path());
        ASSERT_EQ(registry.loaded_count(), 1u) << log.text();
    }
    PluginRegistry registry;
    registry.load_directory(second.path());
    ASSERT_EQ(registry.loaded_count(), 1u) << log.text();
    EXPECT_EQ(registry.records()[0].plugin->info().name, "c_worker");
    EXPECT_NE(registry.find_worker_type("echo"), nullptr);
}

}  // namespace
}  // namespace warden::host
