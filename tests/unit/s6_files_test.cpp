// SPDX-License-Identifier: Apache-2.0
// tests/unit/s6_files_test.cpp — the S6Client's pure parts: decoding s6's
// binary files, quoting for execline, laying out a service directory and
// reading its manifest, instance records, process identities, checking
// names and specs. No s6 runs here; the integration tests run it.
#include "s6/instance_record.hpp"
#include "s6/process_identity.hpp"
#include "s6/run_script.hpp"
#include "s6/service_layout.hpp"
#include "s6/service_name.hpp"
#include "s6/service_spec.hpp"
#include "s6/service_status.hpp"

#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <string>

namespace warden::host {
namespace {

// A TAI64N label for unix time `seconds` + `nanos`.
std::string tai64n(uint64_t seconds, uint32_t nanos) {
    const uint64_t tai = (uint64_t{1} << 62) + seconds + 37;
    std::string label;
    for (int i = 7; i >= 0; --i) label += static_cast<char>((tai >> (8 * i)) & 0xff);
    for (int i = 3; i >= 0; --i) label += static_cast<char>((nanos >> (8 * i)) & 0xff);
    return label;
}

std::string big_endian(uint64_t value, int bytes) {
    std::string out;
    for (int i = bytes - 1; i >= 0; --i) out += static_cast<char>((value >> (8 * i)) & 0xff);
    return out;
}

std::string status_file(uint64_t pid, unsigned wstat, unsigned flags, bool with_pgid = false) {
    std::string s = tai64n(1'700'000'000, 5) + tai64n(1'700'000'001, 0) + big_endian(pid, 8);
    if (with_pgid) s += big_endian(pid, 8);
    return s + big_endian(wstat, 2) + static_cast<char>(flags);
}

TEST(StatusFile, decodes_an_up_service) {
    auto r = decode_status(status_file(4242, 0, 0x04 | 0x08));
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_TRUE(r->up());
    EXPECT_EQ(r->pid, 4242);
    EXPECT_EQ(r->stamp_ns, 1'700'000'000'000'000'005);
    EXPECT_EQ(r->ready_stamp_ns, 1'700'000'001'000'000'000);
    EXPECT_TRUE(r->want_up);
    EXPECT_TRUE(r->ready_flag);
    EXPECT_FALSE(r->finishing);
}

TEST(StatusFile, decodes_an_exit_code_and_a_signal) {
    auto exited = decode_status(status_file(0, 3 << 8, 0x04));
    ASSERT_TRUE(exited.ok());
    EXPECT_FALSE(exited->up());
    EXPECT_TRUE(exited->exited);
    EXPECT_EQ(exited->exit_code, 3);
    auto killed = decode_status(status_file(0, 9, 0));
    ASSERT_TRUE(killed.ok());
    EXPECT_FALSE(killed->exited);
    EXPECT_EQ(killed->signal, 9);
}

TEST(StatusFile, a_finish_script_is_not_the_service_up) {
    auto finishing = decode_status(status_file(77, 0, 0x02 | 0x04));
    ASSERT_TRUE(finishing.ok());
    EXPECT_TRUE(finishing->finishing);
    EXPECT_FALSE(finishing->up()) << "the pid is the finish script's";
}

TEST(StatusFile, reads_the_43_byte_layout_of_s6_2_13) {
    auto r = decode_status(status_file(99, 2 << 8, 0x04, /*with_pgid=*/true));
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r->pid, 99);
    EXPECT_EQ(r->exit_code, 2);
    EXPECT_TRUE(r->want_up);
}

// Bytes no s6 writes (found by fuzzing): a time past what unix nanoseconds
// hold is unknown (0), not an overflow; a pid no process can have refuses
// the file, so it is never signalled.
TEST(StatusFile, reads_impossible_times_as_unknown_and_refuses_impossible_pids) {
    std::string far = status_file(4242, 0, 0x04);
    far.replace(0, 12, tai64n(uint64_t{1} << 61, 5));
    auto r = decode_status(far);
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r->stamp_ns, 0);
    std::string bad_nanos = status_file(4242, 0, 0x04);
    bad_nanos.replace(0, 12, tai64n(1'700'000'000, 2'000'000'000));
    EXPECT_EQ(decode_status(bad_nanos)->stamp_ns, 0);
    auto huge = decode_status(status_file(uint64_t{1} << 40, 0, 0x04));
    ASSERT_FALSE(huge.ok());
    EXPECT_EQ(huge.error().message,
              "supervise/status names pid 1099511627776, which no process can have");
}

TEST(StatusFile, refuses_other_sizes) {
    auto r = decode_status("short");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().message,
              "supervise/status is 5 bytes long; s6 writes 35 (or 43 with a process group)");
}

TEST(DeathTally, counts_records_and_those_after_a_time) {
    std::string bytes;
    for (uint64_t t : {100u, 200u, 300u}) bytes += tai64n(t, 0) + '\x89' + '\x09';
    const DeathTally tally(bytes);
    EXPECT_EQ(tally.count(), 3u);
    EXPECT_EQ(tally.last_death_ns(), 300'000'000'000);
    EXPECT_EQ(tally.deaths_after(150'000'000'000), 2u);
    EXPECT_EQ(tally.deaths_after(300'000'000'000), 0u);
    EXPECT_EQ(tally.last_signal(), 9) << "the newest record: 128+9, signal 9";
    EXPECT_EQ(tally.last_exit_code(), 0);
    const std::string exited = tai64n(400, 0) + '\x03' + '\x00';
    EXPECT_EQ(DeathTally(bytes + exited).last_exit_code(), 3);
    EXPECT_EQ(DeathTally(bytes + exited).last_signal(), 0);
    EXPECT_EQ(DeathTally("").count(), 0u);
    EXPECT_EQ(DeathTally("").last_death_ns(), 0);
}

TEST(Execline, quotes_every_word_byte_for_byte) {
    EXPECT_EQ(execline_word("plain"), "\"plain\"");
    EXPECT_EQ(execline_word(""), "\"\"");
    EXPECT_EQ(execline_word("a \"b\" \\c"), "\"a \\\"b\\\" \\\\c\"");
    EXPECT_EQ(execline_word("$HOME {} # ;"), "\"$HOME {} # ;\"");
    EXPECT_EQ(execline_word("new\nline\t\x01"), "\"new\\0x0aline\\0x09\\0x01\"");
    EXPECT_EQ(execline_word("caf\xc3\xa9"), "\"caf\\0xc3\\0xa9\"");
}

ServiceSpec sample_spec() {
    ServiceSpec spec;
    spec.name = "exec-web";
    spec.argv = {"/usr/bin/web", "--port", "8080"};
    spec.env = {"MODE=prod"};
    spec.working_dir = "/srv/web";
    spec.files = {{"web.yaml", "port: 8080\n", 0600}};
    spec.notification_fd = 3;
    return spec;
}

// The programs as installed: warden-guard in /usr/libexec/warden.
S6Paths installed_paths() {
    S6Paths paths;
    paths.guard = "/usr/libexec/warden/warden-guard";
    return paths;
}

TEST(RunScript, execs_into_argv_through_the_guard_with_a_defined_environment) {
    EXPECT_EQ(
        render_run_script(sample_spec(), "/run/w/.warden/instances/exec-web", installed_paths()),
        "#!/usr/lib/execline/bin/execlineb -P\n"
        "\"/usr/lib/execline/bin/fdmove\" -c 2 1\n"
        "\"/usr/libexec/warden/warden-guard\" \"/run/w/.warden/instances/exec-web\"\n"
        "\"/usr/lib/execline/bin/emptyenv\"\n"
        "\"/usr/lib/execline/bin/export\" \"PATH\" "
        "\"/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\"\n"
        "\"/usr/lib/execline/bin/export\" \"MODE\" \"prod\"\n"
        "\"/usr/lib/execline/bin/execline-cd\" \"/srv/web\"\n"
        "\"/usr/bin/web\" \"--port\" \"8080\"\n");
    EXPECT_EQ(render_log_run_script(sample_spec(), "/var/log/warden/exec-web",
                                    "/run/w/.warden/instances/exec-web.log", installed_paths()),
              "#!/usr/lib/execline/bin/execlineb -P\n"
              "\"/usr/libexec/warden/warden-guard\" \"/run/w/.warden/instances/exec-web.log\"\n"
              "\"/usr/bin/s6-log\" -- \"n10\" \"s1000000\" \"T\" \"/var/log/warden/exec-web\"\n");
}

TEST(RunScript, starts_the_program_directly_when_no_guard_is_named) {
    S6Paths raw = installed_paths();
    raw.guard.clear();
    const std::string script = render_run_script(sample_spec(), "/r/exec-web", raw);
    EXPECT_EQ(script.find("warden-guard"), std::string::npos) << script;
    EXPECT_NE(script.find("emptyenv"), std::string::npos) << script;
}

// A switch to the spec's user (a host running as root) comes right after
// the guard, which records the instance as s6-supervise's user, and before
// the environment is emptied, so s6-envuidgid's variables go with it. The
// logger is never switched.
TEST(RunScript, switches_to_the_user_with_s6_setuidgid_after_the_guard) {
    ServiceSpec spec = sample_spec();
    spec.user = "nobody";
    const std::string script =
        render_run_script(spec, "/run/w/.warden/instances/exec-web", installed_paths());
    EXPECT_EQ(script,
              "#!/usr/lib/execline/bin/execlineb -P\n"
              "\"/usr/lib/execline/bin/fdmove\" -c 2 1\n"
              "\"/usr/libexec/warden/warden-guard\" \"/run/w/.warden/instances/exec-web\"\n"
              "\"/usr/bin/s6-setuidgid\" \"nobody\"\n"
              "\"/usr/lib/execline/bin/emptyenv\"\n"
              "\"/usr/lib/execline/bin/export\" \"PATH\" "
              "\"/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\"\n"
              "\"/usr/lib/execline/bin/export\" \"MODE\" \"prod\"\n"
              "\"/usr/lib/execline/bin/execline-cd\" \"/srv/web\"\n"
              "\"/usr/bin/web\" \"--port\" \"8080\"\n");
    EXPECT_EQ(render_log_run_script(spec, "/l", "/r/exec-web.log", installed_paths()),
              render_log_run_script(sample_spec(), "/l", "/r/exec-web.log", installed_paths()))
        << "the logger runs as s6-supervise's user";
}

TEST(RunScript, switches_to_a_user_and_a_group_as_s6_setuidgid_would_with_that_group) {
    ServiceSpec spec = sample_spec();
    spec.user = "_svc.user-1";
    spec.group = "nogroup";
    S6Paths paths = installed_paths();
    paths.s6_bin = "/opt/s6 bin";
    paths.guard.clear();
    EXPECT_EQ(render_run_script(spec, "/r/exec-web", paths),
              "#!/usr/lib/execline/bin/execlineb -P\n"
              "\"/usr/lib/execline/bin/fdmove\" -c 2 1\n"
              "\"/opt/s6 bin/s6-envuidgid\" \"_svc.user-1\"\n"
              "\"/opt/s6 bin/s6-envuidgid\" \"-g\" \"nogroup\"\n"
              "\"/opt/s6 bin/s6-applyuidgid\" \"-Uz\"\n"
              "\"/usr/lib/execline/bin/emptyenv\"\n"
              "\"/usr/lib/execline/bin/export\" \"PATH\" "
              "\"/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\"\n"
              "\"/usr/lib/execline/bin/export\" \"MODE\" \"prod\"\n"
              "\"/usr/lib/execline/bin/execline-cd\" \"/srv/web\"\n"
              "\"/usr/bin/web\" \"--port\" \"8080\"\n");
}

TEST(Layout, a_user_or_group_changes_the_manifest) {
    ServiceSpec spec = sample_spec();
    const std::string as_host = lay_out_service(spec, "/l", "/r", installed_paths()).manifest;
    spec.user = "nobody";
    const std::string as_nobody = lay_out_service(spec, "/l", "/r", installed_paths()).manifest;
    EXPECT_NE(as_nobody, as_host) << "a new user is an update in place: the process restarts";
    spec.group = "nogroup";
    EXPECT_NE(lay_out_service(spec, "/l", "/r", installed_paths()).manifest, as_nobody);
}

TEST(Layout, lists_every_file_with_its_mode_and_hash) {
    const ServiceLayout layout =
        lay_out_service(sample_spec(), "/var/log/warden/exec-web", "/r", installed_paths());
    std::vector<std::string> paths;
    for (const auto &file : layout.files) paths.push_back(file.path);
    EXPECT_EQ(paths, (std::vector<std::string>{"data/web.yaml", "down-signal", "log/run",
                                               "notification-fd", "run", "timeout-kill"}));
    EXPECT_EQ(layout.manifest.rfind("warden-manifest 1\n", 0), 0u);
    std::vector<std::string> listed;
    const auto entries = decode_manifest(layout.manifest);
    ASSERT_TRUE(entries.has_value()) << layout.manifest;
    for (const auto &[path, line] : *entries) listed.push_back(path);
    EXPECT_EQ(listed, paths);
    EXPECT_NE(layout.manifest.find(" 0600 data/web.yaml\n"), std::string::npos);
    EXPECT_NE(layout.manifest.find(" 0755 run\n"), std::string::npos);
}

TEST(Layout, is_the_same_for_the_same_spec_and_ignores_start_down) {
    ServiceSpec spec = sample_spec();
    const std::string first = lay_out_service(spec, "/l", "/r", installed_paths()).manifest;
    spec.start_down = true;
    EXPECT_EQ(lay_out_service(spec, "/l", "/r", installed_paths()).manifest, first)
        << "starting down is state, not configuration";
    spec.files[0].content = "port: 9090\n";
    EXPECT_NE(lay_out_service(spec, "/l", "/r", installed_paths()).manifest, first);
}

TEST(Manifest, refuses_a_manifest_with_any_line_out_of_form) {
    const std::string header = "warden-manifest 1\n";
    const std::string line = "0123456789abcdef 0644 run\n";
    EXPECT_TRUE(decode_manifest(header + line).has_value());
    EXPECT_TRUE(decode_manifest(header).has_value()) << "no files";
    for (const std::string &bad : {
             std::string(""), "warden-manifest 2\n" + line,
             header + "0123456789abcdef 0644 run",                 // no newline
             header + "0123456789abcdeX 0644 run\n",               // not hex
             header + "0123456789abcdef 0648 run\n",               // not octal
             header + "0123456789abcdef 0644 ../../etc/passwd\n",  // outside the directory
             header + "0123456789abcdef 0644 /etc/passwd\n",
             header + "0123456789abcdef 0644 data/../../x\n", header + "0123456789abcdef 0644 \n",
             header + "0123456789abcdef 0644 a\x1b[2Jb\n",
             header + line + line,  // a path twice
         })
        EXPECT_FALSE(decode_manifest(bad).has_value()) << bad;
}

TEST(InstanceRecord, reads_back_what_it_wrote_and_refuses_anything_else) {
    InstanceRecord record;
    record.boot_id = "0d7c1e5a-7b7e-4a43-9f7f-2c1d2b2f6a11";
    record.process = {1234, 987654};
    record.supervisor = {1200, 987600};
    const std::string text = encode_instance_record(record);
    EXPECT_EQ(text,
              "warden-instance 1 0d7c1e5a-7b7e-4a43-9f7f-2c1d2b2f6a11 1234 987654 1200 987600\n");
    const auto back = decode_instance_record(text);
    ASSERT_TRUE(back.has_value());
    EXPECT_EQ(back->boot_id, record.boot_id);
    EXPECT_EQ(back->process, record.process);
    EXPECT_EQ(back->supervisor, record.supervisor);
    for (const std::string &bad : {
             std::string(""),
             std::string("warden-instance 1 b 1 2 3 4"),              // no newline
             std::string("warden-instance 2 b 1 2 3 4\n"),            // another version
             std::string("warden-instance 1 B 1 2 3 4\n"),            // not a boot id
             std::string("warden-instance 1 b 0 2 3 4\n"),            // pid 0
             std::string("warden-instance 1 b -1 2 3 4\n"),           // negative
             std::string("warden-instance 1 b 1 2 3\n"),              // a field short
             std::string("warden-instance 1 b 1 2 3 4 5\n"),          // one too many
             std::string("warden-instance 1 b 1  2 3 4\n"),           // two spaces
             std::string("warden-instance 1 b 99999999999 2 3 4\n"),  // no such pid
             std::string("warden-instance 1 b 1 2 3 4\n") + std::string(300, 'x'),
         })
        EXPECT_FALSE(decode_instance_record(bad).has_value()) << bad;
}

TEST(ProcessIdentity, names_this_process_and_not_a_later_one_with_its_pid) {
    const auto self = identify_process(::getpid());
    ASSERT_TRUE(self.has_value());
    EXPECT_TRUE(still_running(*self));
    EXPECT_FALSE(still_running(ProcessIdentity{self->pid, self->start_ticks + 1}));
    EXPECT_EQ(parent_of(::getpid()), ::getppid());
    EXPECT_FALSE(boot_id().empty());
    const auto started = start_ticks_to_unix_ns(self->start_ticks);
    ASSERT_TRUE(started.has_value());
    const int64_t now = std::chrono::duration_cast<std::chrono::nanoseconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count();
    EXPECT_LE(*started, now + 1'000'000'000);
    EXPECT_GT(*started, now - 3600LL * 1'000'000'000);
}

TEST(ServiceNames, accepts_only_lower_case_digits_dash_and_underscore) {
    for (const char *good : {"a", "exec-web", "exec_web-2", "0day"})
        EXPECT_TRUE(valid_service_name(good)) << good;
    for (const std::string &bad :
         {std::string(""), std::string("-a"), std::string("_a"), std::string("A"),
          std::string("a/b"), std::string(".."), std::string("a b"), std::string(65, 'a')})
        EXPECT_FALSE(valid_service_name(bad)) << bad;
    EXPECT_TRUE(valid_service_name(std::string(64, 'a')));
}

TEST(ServiceSpecs, refuse_what_s6_could_not_run_as_asked) {
    struct Case {
        void (*change)(ServiceSpec &);
        const char *error;
    };
    const Case cases[] = {
        {[](ServiceSpec &s) { s.argv = {"web"}; },
         "service 'exec-web': argv[0] must be an absolute path to the program"},
        {[](ServiceSpec &s) { s.argv.push_back(std::string("a\0b", 3)); },
         "service 'exec-web': argv[3] contains a NUL byte"},
        {[](ServiceSpec &s) { s.env = {"1X=y"}; },
         "service 'exec-web': environment entry '1X=y' is not NAME=value with NAME "
         "[A-Za-z_][A-Za-z0-9_]*"},
        {[](ServiceSpec &s) { s.working_dir = "srv"; },
         "service 'exec-web': working_dir must be an absolute path"},
        {[](ServiceSpec &s) {
             s.files = {{"../escape", "x", 0644}};
         },
         "service 'exec-web': file path '../escape' must be relative, without '..', '.' or empty "
         "parts or control characters"},
        {[](ServiceSpec &s) { s.notification_fd = 1; },
         "service 'exec-web': notification fd 1 must be from 3 to 1023 (0, 1 and 2 are stdin, "
         "stdout, stderr)"},
        {[](ServiceSpec &s) { s.down_signal = 0; },
         "service 'exec-web': down signal 0 is not a signal"},
        {[](ServiceSpec &s) { s.log_max_file_bytes = 10; },
         "service 'exec-web': log_max_file_bytes must be from 4096 to 268435455 (s6-log's limits)"},
        {[](ServiceSpec &s) { s.user = "-u"; },
         "service 'exec-web': user '-u' is not a user name: 1 to 32 of the characters A-Z a-z "
         "0-9 . _ -, not beginning with '-'; a name, not a numeric id"},
        {[](ServiceSpec &s) { s.user = "1000"; },
         "service 'exec-web': user '1000' is not a user name: 1 to 32 of the characters A-Z a-z "
         "0-9 . _ -, not beginning with '-'; a name, not a numeric id"},
        {[](ServiceSpec &s) {
             s.user = "web";
             s.group = "a\"b";
         },
         "service 'exec-web': group 'a\"b' is not a group name: 1 to 32 of the characters A-Z "
         "a-z 0-9 . _ -, not beginning with '-'; a name, not a numeric id"},
        {[](ServiceSpec &s) { s.group = "nogroup"; },
         "service 'exec-web': group 'nogroup' is switched to only with a user"},
    };
    EXPECT_TRUE(check_service_spec(sample_spec()).ok());
    for (const Case &c : cases) {
        ServiceSpec spec = sample_spec();
        c.change(spec);
        auto checked = check_service_spec(spec);
        ASSERT_FALSE(checked.ok()) << c.error;
        EXPECT_EQ(checked.error().message, c.error);
        EXPECT_EQ(checked.error().kind, ErrorKind::invalid_argument);
    }
}

}  // namespace
}  // namespace warden::host
