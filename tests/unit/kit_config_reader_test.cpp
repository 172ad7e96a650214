// SPDX-License-Identifier: Apache-2.0
// tests/unit/kit_config_reader_test.cpp — the worker kit's ConfigReader:
// every text it writes (users already see them from the exec and benthos
// plugins, so they must not drift), what each accessor accepts, the
// unknown-key check and nested blocks; and kit::RunAs, the `user` and
// `group` keys every worker type reads through it.
#include <warden/kit/config_reader.hpp>
#include <warden/kit/fingerprint.hpp>
#include <warden/kit/run_as.hpp>
#include <warden/testing/fake_host.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <array>
#include <map>
#include <string>
#include <vector>

namespace warden::kit {
namespace {

// The ConfigError message `f` throws; "" when it throws nothing.
template <typename F>
std::string error_of(F &&f) {
    try {
        f();
    } catch (const ConfigError &e) {
        EXPECT_EQ(e.status(), WARDEN_ERR_INVALID_ARGUMENT);
        return e.what();
    }
    return {};
}

ConfigReader reader(const std::string &json) {
    return ConfigReader::parse(json, "at least `command`");
}

// The text reading `key` from {"key": <value_json>} with `read` throws.
template <typename Read>
std::string text_for(const std::string &value_json, Read &&read) {
    return error_of([&] {
        ConfigReader r = reader(R"({"key":)" + value_json + "}");
        read(r);
    });
}

// --- the block itself --------------------------------------------------------

TEST(KitConfigReader, NotJsonAndNotAMapping) {
    for (const char *bad : {"", "{", "{\"a\":}", "nul", "\xff"})
        EXPECT_EQ(error_of([&] { reader(bad); }), "config: not valid JSON") << bad;
    for (const char *other : {"[]", "\"command\"", "null", "3"})
        EXPECT_EQ(error_of([&] { reader(other); }),
                  "config: must be a mapping with at least `command`")
            << other;
    EXPECT_EQ(error_of([] { ConfigReader::parse("[]", "at least `input` and `output`"); }),
              "config: must be a mapping with at least `input` and `output`");
    EXPECT_EQ(error_of([] { ConfigReader::parse("[]"); }), "config: must be a mapping");
    EXPECT_EQ(error_of([] { reader("{}").finish(); }), "");
}

TEST(KitConfigReader, ConstructedOverAnObjectOnly) {
    EXPECT_EQ(error_of([] { (void)ConfigReader(nlohmann::json::array()); }),
              "config: must be a mapping");
    EXPECT_EQ(error_of([] { (void)ConfigReader(nlohmann::json(3), "outer.inner."); }),
              "outer.inner: must be a mapping");
    const ConfigReader r(nlohmann::json{{"a", 1}});
    EXPECT_EQ(r.json().dump(), R"({"a":1})");
}

// --- strings and paths -------------------------------------------------------

TEST(KitConfigReader, String) {
    ConfigReader r = reader(R"({"name":"sleeper","empty":""})");
    EXPECT_EQ(r.string("name"), "sleeper");
    EXPECT_EQ(r.string("empty"), "");
    EXPECT_EQ(r.string("absent"), std::nullopt);
    for (const char *value : {"3", "null", "true", "[\"a\"]", "{}"})
        EXPECT_EQ(text_for(value, [](ConfigReader &c) { c.string("key"); }),
                  "key: must be a string")
            << value;
    EXPECT_EQ(text_for(R"("a\u0000b")", [](ConfigReader &c) { c.string("key"); }),
              "key: must not contain a NUL byte");
}

TEST(KitConfigReader, AbsolutePath) {
    ConfigReader r = reader(R"({"command":"/bin/sleep"})");
    EXPECT_EQ(r.absolute_path("command"), "/bin/sleep");
    EXPECT_EQ(r.absolute_path("working_dir"), std::nullopt);
    const auto path = [](ConfigReader &c) { c.absolute_path("key"); };
    EXPECT_EQ(text_for(R"("sleep")", path), "key: must be an absolute path, got 'sleep'");
    EXPECT_EQ(text_for(R"("")", path), "key: must be an absolute path, got ''");
    EXPECT_EQ(text_for(R"("bin/\u001b[31mred")", path),
              "key: must be an absolute path, got 'bin/\\x1b[31mred'");
    EXPECT_EQ(text_for("7", path), "key: must be a string");
    EXPECT_EQ(text_for(R"("/a\u0000")", path), "key: must not contain a NUL byte");
    const std::string long_text = text_for("\"" + std::string(500, 'x') + "\"", path);
    EXPECT_EQ(long_text, "key: must be an absolute path, got '" + std::string(200, 'x') + "...'");
}

// --- numbers -------------------------------------------------------------------

TEST(KitConfigReader, WholeNumber) {
    ConfigReader r = reader(R"({"low":1,"high":10,"zero":0})");
    EXPECT_EQ(r.whole_number("low", 1, 10), 1u);
    EXPECT_EQ(r.whole_number("high", 1, 10), 10u);
    EXPECT_EQ(r.whole_number("zero", 0, 0), 0u);
    EXPECT_EQ(r.whole_number("absent", 1, 10), std::nullopt);
    const auto number = [](ConfigReader &c) { c.whole_number("key", 1000, 3600000); };
    for (const char *value : {"999", "3600001", "-5", "1500.5", "1e3", "\"2000\"", "null", "true",
                              "18446744073709551616"})
        EXPECT_EQ(text_for(value, number), "key: must be a whole number from 1000 to 3600000")
            << value;
    EXPECT_EQ(text_for("2000", number), "");
}

TEST(KitConfigReader, WholeNumberWithAnAlternativeAndAUnit) {
    const WholeNumber restart = WholeNumber(1000, 1800000).or_also(0, "0 (never restart)");
    ConfigReader r = reader(R"({"never":0,"soon":1000})");
    EXPECT_EQ(r.whole_number("never", restart), 0u);
    EXPECT_EQ(r.whole_number("soon", restart), 1000u);
    EXPECT_EQ(text_for("999", [&](ConfigReader &c) { c.whole_number("key", restart); }),
              "key: must be 0 (never restart) or a whole number from 1000 to 1800000");
    const WholeNumber stable = WholeNumber(0, 3600000).of("milliseconds");
    EXPECT_EQ(text_for("3600001", [&](ConfigReader &c) { c.whole_number("key", stable); }),
              "key: must be a whole number of milliseconds from 0 to 3600000");
    const WholeNumber both = WholeNumber(5, 9).or_also(0, "0 (off)").of("seconds");
    EXPECT_EQ(text_for("1", [&](ConfigReader &c) { c.whole_number("key", both); }),
              "key: must be 0 (off) or a whole number of seconds from 5 to 9");
}

TEST(KitConfigReader, Port) {
    ConfigReader r = reader(R"({"a":1,"b":65535,"c":4195})");
    EXPECT_EQ(r.port("a"), 1u);
    EXPECT_EQ(r.port("b"), 65535u);
    EXPECT_EQ(r.port("c"), 4195u);
    EXPECT_EQ(r.port("absent"), std::nullopt);
    for (const char *value : {"0", "65536", "-1", "80.5", "\"80\"", "null"})
        EXPECT_EQ(text_for(value, [](ConfigReader &c) { c.port("key"); }),
                  "key: must be a port, a whole number from 1 to 65535")
            << value;
}

TEST(KitConfigReader, DurationInMilliseconds) {
    ConfigReader r =
        reader(R"({"n":1500,"ms":"500ms","s":"30s","m":"5m","h":"1h","zero":0,"zero_s":"0s"})");
    EXPECT_EQ(r.duration_ms("n", 0, 3'600'000), 1500u);
    EXPECT_EQ(r.duration_ms("ms", 0, 3'600'000), 500u);
    EXPECT_EQ(r.duration_ms("s", 0, 3'600'000), 30'000u);
    EXPECT_EQ(r.duration_ms("m", 0, 3'600'000), 300'000u);
    EXPECT_EQ(r.duration_ms("h", 0, 3'600'000), 3'600'000u);
    EXPECT_EQ(r.duration_ms("zero", 0, 1), 0u);
    EXPECT_EQ(r.duration_ms("zero_s", 0, 1), 0u);
    EXPECT_EQ(r.duration_ms("absent", 0, 1), std::nullopt);
    const auto duration = [](ConfigReader &c) { c.duration_ms("key", 1000, 3'600'000); };
    const std::string text =
        "key: must be a duration from 1s to 1h: a whole number of milliseconds, or a string "
        "such as \"500ms\", \"30s\", \"5m\" or \"1h\"";
    for (const char *value : {"999",
                              "3600001",
                              "\"999ms\"",
                              "\"2h\"",
                              "\"61m\"",
                              "\"5 s\"",
                              "\"5S\"",
                              "\"1.5s\"",
                              "\"\"",
                              "\"s\"",
                              "\"-1s\"",
                              "\"5\"",
                              "\"5sec\"",
                              "\"1h30m\"",
                              "\" 5s\"",
                              "\"99999999999999999999h\"",
                              "\"18446744073709551615h\"",
                              "-5",
                              "1.5",
                              "true",
                              "null",
                              "\"5s\\u0000\""})
        EXPECT_EQ(text_for(value, duration), text) << value;
    EXPECT_EQ(text_for("\"90s\"", duration), "");
    EXPECT_EQ(text_for("1", [](ConfigReader &c) { c.duration_ms("key", 1500, 90'000); }),
              "key: must be a duration from 1500ms to 90s: a whole number of milliseconds, or a "
              "string such as \"500ms\", \"30s\", \"5m\" or \"1h\"");
}

TEST(KitConfigReader, DurationTextAndParse) {
    EXPECT_EQ(duration_text(0), "0ms");
    EXPECT_EQ(duration_text(1), "1ms");
    EXPECT_EQ(duration_text(1500), "1500ms");
    EXPECT_EQ(duration_text(2000), "2s");
    EXPECT_EQ(duration_text(120'000), "2m");
    EXPECT_EQ(duration_text(90'000), "90s");
    EXPECT_EQ(duration_text(7'200'000), "2h");
    EXPECT_EQ(parse_duration_ms("18446744073709551615ms"), 18446744073709551615u);
    EXPECT_EQ(parse_duration_ms("18446744073709551616ms"), std::nullopt);
    EXPECT_EQ(parse_duration_ms("18446744073709552s"), std::nullopt);
    EXPECT_EQ(parse_duration_ms("007s"), 7000u);
}

TEST(KitConfigReader, Boolean) {
    ConfigReader r = reader(R"({"yes":true,"no":false})");
    EXPECT_EQ(r.boolean("yes"), true);
    EXPECT_EQ(r.boolean("no"), false);
    EXPECT_EQ(r.boolean("absent"), std::nullopt);
    for (const char *value : {"1", "0", "\"true\"", "\"yes\"", "null"})
        EXPECT_EQ(text_for(value, [](ConfigReader &c) { c.boolean("key"); }),
                  "key: must be true or false")
            << value;
}

// --- choices, lists, env ----------------------------------------------------------

TEST(KitConfigReader, OneOf) {
    constexpr std::array<std::string_view, 7> kLevels = {"OFF",  "FATAL", "ERROR", "WARN",
                                                         "INFO", "DEBUG", "TRACE"};
    ConfigReader r = reader(R"({"a":"debug","b":"WARN","c":"json"})");
    EXPECT_EQ(r.one_of("a", kLevels, Case::insensitive), "DEBUG");  // as spelled in the list
    EXPECT_EQ(r.one_of("b", kLevels), "WARN");
    EXPECT_EQ(r.one_of("c", {"text", "json"}), "json");
    EXPECT_EQ(r.one_of("absent", kLevels), std::nullopt);
    const auto levels = [&](ConfigReader &c) { c.one_of("log_level", kLevels, Case::insensitive); };
    EXPECT_EQ(error_of([&] {
                  ConfigReader c = reader(R"({"log_level":"loud"})");
                  levels(c);
              }),
              "log_level: 'loud' is not one of OFF, FATAL, ERROR, WARN, INFO, DEBUG, TRACE");
    EXPECT_EQ(error_of([&] {
                  ConfigReader c = reader(R"({"log_level":"info"})");
                  c.one_of("log_level", kLevels);  // exact: "info" is not "INFO"
              }),
              "log_level: 'info' is not one of OFF, FATAL, ERROR, WARN, INFO, DEBUG, TRACE");
    EXPECT_EQ(error_of([&] {
                  ConfigReader c = reader(R"({"log_level":"in\u0007fo"})");
                  levels(c);
              }),
              "log_level: 'in\\x07fo' is not one of OFF, FATAL, ERROR, WARN, INFO, DEBUG, TRACE");
    EXPECT_EQ(error_of([&] {
                  ConfigReader c = reader(R"({"log_level":3})");
                  levels(c);
              }),
              "log_level: must be a string");
    EXPECT_EQ(error_of([&] {
                  ConfigReader c = reader(R"({"log_level":"INFO\u0000"})");
                  levels(c);
              }),
              "log_level: must not contain a NUL byte");
    const std::vector<std::string> owned = {"a", "b"};
    ConfigReader v = reader(R"({"k":"B"})");
    EXPECT_EQ(v.one_of("k", owned, Case::insensitive), "b");
}

TEST(KitConfigReader, StringList) {
    ConfigReader r = reader(R"({"args":["-c","echo hi",""],"none":[]})");
    EXPECT_EQ(r.string_list("args"), (std::vector<std::string>{"-c", "echo hi", ""}));
    EXPECT_EQ(r.string_list("none"), std::vector<std::string>{});
    EXPECT_EQ(r.string_list("absent"), std::nullopt);
    const auto args = [](const std::string &value) {
        return error_of([&] {
            ConfigReader c = reader(R"({"args":)" + value + "}");
            c.string_list("args");
        });
    };
    EXPECT_EQ(args("\"infinity\""), "args: must be a list of strings");
    EXPECT_EQ(args("{\"a\":\"b\"}"), "args: must be a list of strings");
    EXPECT_EQ(args("null"), "args: must be a list of strings");
    EXPECT_EQ(args(R"(["a","b",3])"), "args[2]: must be a string");
    EXPECT_EQ(args(R"(["a",["b"]])"), "args[1]: must be a string");
    EXPECT_EQ(args(R"(["a","b\u0000"])"), "args[1]: must not contain a NUL byte");
}

TEST(KitConfigReader, Env) {
    ConfigReader r = reader(R"({"env":{"PATH":"/bin","_x1":"","LANG":"C.UTF-8"}})");
    EXPECT_EQ(r.env("env"), (std::map<std::string, std::string>{
                                {"LANG", "C.UTF-8"}, {"PATH", "/bin"}, {"_x1", ""}}));
    EXPECT_EQ(r.env("absent"), std::nullopt);
    const auto env = [](const std::string &value) {
        return error_of([&] {
            ConfigReader c = reader(R"({"env":)" + value + "}");
            c.env("env");
        });
    };
    EXPECT_EQ(env("[\"A=b\"]"), "env: must be a mapping of NAME: value");
    EXPECT_EQ(env("\"A=b\""), "env: must be a mapping of NAME: value");
    EXPECT_EQ(env(R"({"x y":"1"})"), "env: 'x y' is not a variable name ([A-Za-z_][A-Za-z0-9_]*)");
    EXPECT_EQ(env(R"({"1A":"1"})"), "env: '1A' is not a variable name ([A-Za-z_][A-Za-z0-9_]*)");
    EXPECT_EQ(env(R"({"":"1"})"), "env: '' is not a variable name ([A-Za-z_][A-Za-z0-9_]*)");
    EXPECT_EQ(env(R"({"A=B":"1"})"), "env: 'A=B' is not a variable name ([A-Za-z_][A-Za-z0-9_]*)");
    EXPECT_EQ(env(R"({"A\nB":"1"})"),
              "env: 'A\\x0aB' is not a variable name ([A-Za-z_][A-Za-z0-9_]*)");
    EXPECT_EQ(env(R"({"HOME":3})"), "env.HOME: must be a string");
    EXPECT_EQ(env(R"({"HOME":null})"), "env.HOME: must be a string");
    EXPECT_EQ(env(R"({"HOME":"/\u0000"})"), "env.HOME: must not contain a NUL byte");
}

// --- required, unknown keys, nested blocks ------------------------------------------

TEST(KitConfigReader, Required) {
    ConfigReader r = reader(R"({"args":[]})");
    EXPECT_EQ(error_of([&] { r.require("command", "the absolute path of the program to run"); }),
              "command: required, the absolute path of the program to run");
    ConfigReader present = reader(R"({"command":null})");
    present.require("command", "the absolute path of the program to run");
    EXPECT_EQ(error_of([&] { present.absolute_path("command"); }), "command: must be a string");
}

TEST(KitConfigReader, UnknownKeyListsTheKnownInTheOrderAsked) {
    ConfigReader r = reader(R"({"command":"/bin/true","zzz":1,"bogus":2})");
    r.require("command", "the program");
    r.absolute_path("command");
    r.string_list("args");
    r.env("env");
    r.absolute_path("working_dir");
    r.whole_number("stable_after_ms", 0, 3600000);
    // "bogus" sorts before "zzz": JSON objects keep their keys sorted.
    EXPECT_EQ(error_of([&] { r.finish(); }),
              "unknown key 'bogus' (known: command, args, env, working_dir, stable_after_ms)");
    EXPECT_EQ(error_of([] { reader(R"({"x":1})").finish(); }), "unknown key 'x' (known: none)");
    EXPECT_EQ(error_of([] {
                  ConfigReader c = reader(R"({"a\u0001\\":1})");
                  c.string("b");
                  c.finish();
              }),
              "unknown key 'a\\x01\\\\' (known: b)");
    ConfigReader all = reader(R"({"a":1,"b":"x"})");
    all.raw("a");
    EXPECT_TRUE(all.has("b"));
    EXPECT_FALSE(all.has("c"));
    EXPECT_EQ(error_of([&] { all.finish(); }), "");
}

TEST(KitConfigReader, NestedMapping) {
    ConfigReader r = reader(R"({"supervisor":{"tick_ms":5,"bogus":1,"env":{"A":1}},"x":[]})");
    std::optional<ConfigReader> sup = r.mapping("supervisor");
    ASSERT_TRUE(sup);
    EXPECT_EQ(error_of([&] { sup->whole_number("tick_ms", 10, 1000); }),
              "supervisor.tick_ms: must be a whole number from 10 to 1000");
    EXPECT_EQ(error_of([&] { sup->env("env"); }), "supervisor.env.A: must be a string");
    EXPECT_EQ(error_of([&] { sup->finish(); }),
              "unknown key 'supervisor.bogus' (known: tick_ms, env)");
    EXPECT_EQ(error_of([&] { r.mapping("x"); }), "x: must be a mapping");
    EXPECT_FALSE(r.mapping("absent").has_value());
    // Deeper still.
    ConfigReader deep = reader(R"({"a":{"b":{"c":"rel"}}})");
    EXPECT_EQ(error_of([&] { deep.mapping("a")->mapping("b")->absolute_path("c"); }),
              "a.b.c: must be an absolute path, got 'rel'");
    EXPECT_EQ(r.mapping("supervisor")->where("tick_ms"), "supervisor.tick_ms");
}

TEST(KitConfigReader, RawSectionsAndThePluginsOwnTexts) {
    ConfigReader r = reader(R"({"input":{"generate":{"mapping":"root = 1"}},"output":"stdout"})");
    const std::optional<nlohmann::json> input = r.raw("input");
    ASSERT_TRUE(input);
    EXPECT_EQ(input->dump(), R"({"generate":{"mapping":"root = 1"}})");
    const std::optional<nlohmann::json> output = r.raw("output");
    EXPECT_EQ(error_of([&] {
                  if (!output->is_object()) r.fail("output", "must be a mapping, as in Benthos");
              }),
              "output: must be a mapping, as in Benthos");
    EXPECT_EQ(r.where("a\nb"), "a\\x0ab");
    EXPECT_EQ(r.raw("absent"), std::nullopt);
}

// The exec sample's checks written with the reader give exactly its texts.
struct Exec {
    std::string command;
    std::vector<std::string> args;
    std::map<std::string, std::string> env;
    std::string working_dir;
    uint64_t stable_after_ms = 1000;
};

Exec exec_from(const std::string &config_json) {
    ConfigReader config = ConfigReader::parse(config_json, "at least `command`");
    Exec d;
    config.require("command", "the absolute path of the program to run");
    d.command = *config.absolute_path("command");
    d.args = config.string_list("args").value_or(d.args);
    d.env = config.env("env").value_or(d.env);
    d.working_dir = config.absolute_path("working_dir").value_or("");
    d.stable_after_ms =
        config.whole_number("stable_after_ms", WholeNumber(0, 3'600'000).of("milliseconds"))
            .value_or(d.stable_after_ms);
    config.finish();
    return d;
}

TEST(KitConfigReader, ExecSampleTextsKept) {
    const Exec d = exec_from(
        R"({"command":"/bin/sleep","args":["infinity"],"env":{"A":"1"},"working_dir":"/tmp",
            "stable_after_ms":250})");
    EXPECT_EQ(d.command, "/bin/sleep");
    EXPECT_EQ(d.args, std::vector<std::string>{"infinity"});
    EXPECT_EQ(d.env.at("A"), "1");
    EXPECT_EQ(d.working_dir, "/tmp");
    EXPECT_EQ(d.stable_after_ms, 250u);
    EXPECT_EQ(exec_from(R"({"command":"/bin/true"})").stable_after_ms, 1000u);
    const std::pair<const char *, const char *> cases[] = {
        {"nope", "config: not valid JSON"},
        {"[1]", "config: must be a mapping with at least `command`"},
        {"{}", "command: required, the absolute path of the program to run"},
        {R"({"command":"sleep"})", "command: must be an absolute path, got 'sleep'"},
        {R"({"command":5})", "command: must be a string"},
        {R"({"command":"/bin/sleep","args":"x"})", "args: must be a list of strings"},
        {R"({"command":"/bin/sleep","args":["a","b",1]})", "args[2]: must be a string"},
        {R"({"command":"/bin/sleep","env":[]})", "env: must be a mapping of NAME: value"},
        {R"({"command":"/bin/sleep","env":{"x y":"1"}})",
         "env: 'x y' is not a variable name ([A-Za-z_][A-Za-z0-9_]*)"},
        {R"({"command":"/bin/sleep","env":{"NAME":1}})", "env.NAME: must be a string"},
        {R"({"command":"/bin/sleep","working_dir":"tmp"})",
         "working_dir: must be an absolute path, got 'tmp'"},
        {R"({"command":"/bin/sleep","stable_after_ms":-1})",
         "stable_after_ms: must be a whole number of milliseconds from 0 to 3600000"},
        {R"({"command":"/bin/sleep","comand":"/bin/sleep"})",
         "unknown key 'comand' (known: command, args, env, working_dir, stable_after_ms)"},
    };
    for (const auto &c : cases)  // (clang 14 does not capture structured bindings)
        EXPECT_EQ(error_of([&] { exec_from(c.first); }), c.second) << c.first;
}

// ---- RunAs: `user` and `group` ---------------------------------------------------

RunAs run_as_from(const std::string &json) {
    ConfigReader config = ConfigReader::parse(json);
    RunAs run_as = RunAs::read(config);
    config.finish();
    return run_as;
}

TEST(RunAs, reads_names_and_refuses_what_the_host_would_refuse) {
    const RunAs both = run_as_from(R"({"user":"_warden","group":"nogroup"})");
    EXPECT_EQ(both.user, "_warden");
    EXPECT_EQ(both.group, "nogroup");
    EXPECT_TRUE(run_as_from("{}").empty());
    EXPECT_TRUE(run_as_from(R"({"user":""})").empty()) << "empty is the default";
    EXPECT_EQ(error_of([] { run_as_from(R"({"user":1000})"); }), "user: must be a string");
    EXPECT_EQ(error_of([] { run_as_from(R"({"user":"1000"})"); }),
              "user: '1000' is not a user name: 1 to 32 of the characters A-Z a-z 0-9 . _ -, "
              "not beginning with '-'; a name, not a numeric id");
    EXPECT_EQ(error_of([] { run_as_from(R"({"group":"-wheel\n"})"); }),
              "group: '-wheel\\x0a' is not a group name: 1 to 32 of the characters A-Z a-z 0-9 "
              ". _ -, not beginning with '-'; a name, not a numeric id");
    EXPECT_EQ(error_of([] { run_as_from(R"({"usr":"x"})"); }),
              "unknown key 'usr' (known: user, group)");
}

TEST(RunAs, keeps_a_desired_document_without_them_as_it_was) {
    nlohmann::json desired = {{"command", "/bin/true"}};
    const std::string before = desired.dump();
    RunAs().write(desired);
    EXPECT_EQ(desired.dump(), before);
    RunAs{"nobody", ""}.write(desired);
    EXPECT_EQ(desired.dump(), R"({"command":"/bin/true","user":"nobody"})");
    const RunAs back = RunAs::from(desired);
    EXPECT_EQ(back.user, "nobody");
    EXPECT_EQ(back.group, "");

    ServiceSpec spec;
    spec.name = "exec-web";
    const std::string plain = Fingerprint().add(spec).hex();
    RunAs().apply(spec);
    EXPECT_EQ(Fingerprint().add(spec).hex(), plain) << "no user: the fingerprint it always had";
    back.apply(spec);
    EXPECT_EQ(spec.user, "nobody");
    EXPECT_NE(Fingerprint().add(spec).hex(), plain);
}

// check() is check_config's part: the host settles the account, its words
// become a config problem.
TEST(RunAs, checks_the_account_as_the_host_settles_it) {
    warden::testing::FakeHost fake;
    auto *ctx = fake.make_check_context("exec", "web");
    const Host host(fake.services(), warden::testing::fake_detail::handle(ctx));
    RunAs{"nobody", "nogroup"}.check(host);
    RunAs().check(host);
    EXPECT_EQ(error_of([&] {
                  RunAs{"ghost", ""}.check(host);
              }),
              "user 'ghost' does not exist on this machine");
    EXPECT_EQ(error_of([&] {
                  RunAs{"nobody", "ghosts"}.check(host);
              }),
              "group 'ghosts' does not exist on this machine");
    rules::HostAccount not_root;
    not_root.uid = not_root.gid = 1000;
    not_root.user = "web";
    fake.set_host_account(not_root);
    EXPECT_EQ(error_of([&] {
                  RunAs{"nobody", ""}.check(host);
              }),
              "running as user 'nobody' needs a host running as root; the host runs as user 'web'");

    fake.remove_service_slots();
    RunAs().check(host);
    EXPECT_EQ(error_of([&] {
                  RunAs{"nobody", ""}.check(host);
              }),
              "user: running services as another user or group needs a host speaking ABI 1.4 or "
              "newer");
    const RunAs nobody{"nobody", ""};
    EXPECT_FALSE(nobody.settle(host).switched) << "an older host runs it as itself";
}

// hand_over() gives a directory the worker made to the user its service
// runs as; a chown to another user needs root.
TEST(RunAs, hands_a_directory_over_only_when_the_host_switches) {
    char pattern[] = "/tmp/warden-run-as-XXXXXX";
    ASSERT_NE(::mkdtemp(pattern), nullptr);
    const std::string dir = pattern;
    struct stat before {};
    ASSERT_EQ(::stat(dir.c_str(), &before), 0);
    RunAs::hand_over(dir, ServiceAccount{false, 65534, 65534});
    struct stat kept {};
    ASSERT_EQ(::stat(dir.c_str(), &kept), 0);
    EXPECT_EQ(kept.st_uid, before.st_uid);
    const std::string error = [&] {
        try {
            RunAs::hand_over(dir + "/missing", ServiceAccount{true, 65534, 65534});
        } catch (const Error &e) {
            return std::string(e.what());
        }
        return std::string();
    }();
    EXPECT_EQ(error, "cannot give " + dir +
                         "/missing to the service's uid 65534 and gid 65534: No such file or "
                         "directory");
    if (::geteuid() == 0) {
        RunAs::hand_over(dir, ServiceAccount{true, 65534, 65534});
        struct stat given {};
        ASSERT_EQ(::stat(dir.c_str(), &given), 0);
        EXPECT_EQ(given.st_uid, 65534u);
        EXPECT_EQ(given.st_gid, 65534u);
    }
    ::rmdir(dir.c_str());
    if (::geteuid() != 0) GTEST_SKIP() << "giving a directory to another user needs root";
}

}  // namespace
}  // namespace warden::kit
