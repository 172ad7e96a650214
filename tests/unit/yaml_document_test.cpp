// SPDX-License-Identifier: Apache-2.0
// tests/unit/yaml_document_test.cpp — the config file's YAML: every bound
// it enforces, aliases, UTF-8, and the core schema's typing of plain scalars.
#include "config/yaml_document.hpp"
#include "config/config_limits.hpp"
#include "config/core_schema.hpp"
#include "config/utf8_check.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

namespace warden::host {
namespace {

// "LINE: message" of the problem, or "" when the text parses.
std::string problem_of(const std::string &text) {
    auto parsed = parse_yaml_document(text);
    if (const auto *p = std::get_if<ConfigProblem>(&parsed))
        return std::to_string(p->line) + ": " + p->message;
    return "";
}

std::string repeat(const std::string &piece, std::size_t times) {
    std::string out;
    out.reserve(piece.size() * times);
    for (std::size_t i = 0; i < times; ++i) out += piece;
    return out;
}

TEST(YamlDocument, keeps_entries_in_file_order_with_lines_and_plainness) {
    auto parsed = parse_yaml_document("b: 1\na: 'x'\nc:\n  - ~\n  - [y]\n");
    ASSERT_TRUE(std::holds_alternative<YamlDocument>(parsed));
    const YamlNode *root = std::get<YamlDocument>(parsed).root();
    ASSERT_NE(root, nullptr);
    ASSERT_TRUE(root->is_map());
    ASSERT_EQ(root->entries.size(), 3u);
    EXPECT_EQ(root->entries[0].key->text, "b");
    EXPECT_TRUE(root->entries[0].value->plain);
    EXPECT_EQ(root->entries[1].key->text, "a");
    EXPECT_FALSE(root->entries[1].value->plain) << "quoted";
    EXPECT_EQ(root->entries[1].value->line, 2);
    const YamlNode &list = *root->entries[2].value;
    ASSERT_TRUE(list.is_sequence());
    EXPECT_EQ(list.line, 4);
    ASSERT_EQ(list.items.size(), 2u);
    EXPECT_TRUE(list.items[0]->is_null());
    EXPECT_TRUE(list.items[1]->is_sequence());
    EXPECT_EQ(list.items[1]->line, 5);
}

TEST(YamlDocument, a_file_without_a_document_has_no_root) {
    for (const char *text : {"", " \n\r\n  \n", "# a comment\n"}) {
        auto parsed = parse_yaml_document(text);
        ASSERT_TRUE(std::holds_alternative<YamlDocument>(parsed)) << text;
        EXPECT_EQ(std::get<YamlDocument>(parsed).root(), nullptr) << text;
    }
}

TEST(YamlDocument, accepts_a_utf8_byte_order_mark_at_the_start) {
    EXPECT_EQ(problem_of("\xef\xbb\xbfworkers: []\n"), "");
}

TEST(YamlDocument, refuses_nesting_deeper_than_64_levels_with_its_line) {
    EXPECT_EQ(problem_of(repeat("[", 64) + repeat("]", 64)), "");
    EXPECT_EQ(problem_of(repeat("[", 65) + repeat("]", 65)),
              "1: nesting deeper than 64 levels; the file is refused");
    // One mapping per line: level 65 starts on line 65.
    std::string deep;
    for (int level = 0; level < 70; ++level) deep += std::string(2 * level, ' ') + "a:\n";
    EXPECT_EQ(problem_of(deep), "65: nesting deeper than 64 levels; the file is refused");
    // A million brackets cost no more than 65 of them.
    EXPECT_EQ(problem_of(repeat("[", 1'000'000)),
              "1: nesting deeper than 64 levels; the file is refused");
}

TEST(YamlDocument, refuses_an_alias_that_would_nest_past_the_depth_bound) {
    const std::string deep = repeat("[", 40) + repeat("]", 40);
    EXPECT_EQ(problem_of("a: &deep " + deep + "\nb: " + repeat("[", 23) + "*deep" +
                         repeat("]", 23) + "\n"),
              "");
    EXPECT_EQ(problem_of("a: &deep " + deep + "\nb: " + repeat("[", 24) + "*deep" +
                         repeat("]", 24) + "\n"),
              "2: nesting deeper than 64 levels; the file is refused");
}

TEST(YamlDocument, refuses_a_scalar_longer_than_256_kib) {
    EXPECT_EQ(problem_of("a: 1\nb: " + std::string(kMaxScalarBytes, 'x') + "\n"), "");
    EXPECT_EQ(problem_of("a: 1\nb: " + std::string(kMaxScalarBytes + 1, 'x') + "\n"),
              "2: a value longer than 256 KiB; the file is refused");
    EXPECT_EQ(problem_of("a: 1\nb: \"" + std::string(kMaxScalarBytes + 1, 'x') + "\"\n"),
              "2: a value longer than 256 KiB; the file is refused");
}

TEST(YamlDocument, refuses_more_than_200000_values) {
    // The list itself and its items.
    EXPECT_EQ(problem_of("[" + repeat("0,", kMaxConfigNodes - 1) + "]"), "");
    EXPECT_EQ(problem_of("[" + repeat("0,", kMaxConfigNodes) + "]"),
              "1: more than 200000 values in the file, aliases expanded; the file is refused");
}

TEST(YamlDocument, refuses_a_file_larger_than_4_mib) {
    EXPECT_EQ(problem_of(std::string(kMaxConfigBytes + 1, '#')),
              "0: the file is larger than 4 MiB (4194304 bytes); the file is refused");
    EXPECT_EQ(problem_of(std::string(kMaxConfigBytes, '#')), "");
}

TEST(YamlDocument, refuses_an_alias_to_an_unknown_or_later_anchor) {
    EXPECT_EQ(problem_of("a: 1\nb: *nope\n"), "2: alias *nope refers to no anchor &nope before it");
    EXPECT_EQ(problem_of("a: *later\nb: &later 1\n"),
              "1: alias *later refers to no anchor &later before it");
}

TEST(YamlDocument, refuses_an_alias_inside_the_value_its_anchor_names) {
    EXPECT_EQ(problem_of("args: &x [*x]\n"),
              "1: alias *x refers to the value that holds it (&x at line 1); a value cannot "
              "contain itself");
    EXPECT_EQ(problem_of("top: &loop\n  inner:\n    - deeper: *loop\n"),
              "3: alias *loop refers to the value that holds it (&loop at line 1); a value "
              "cannot contain itself");
    // The newest anchor of a name is the one meant; an older, finished one
    // of the same name does not hide the loop.
    EXPECT_EQ(problem_of("a: &x 1\nb: &x [*x]\n"),
              "2: alias *x refers to the value that holds it (&x at line 2); a value cannot "
              "contain itself");
    EXPECT_EQ(problem_of("a: &x [1]\nb: &x [2]\nc: [*x, *x]\n"), "");
}

TEST(YamlDocument, counts_an_alias_at_the_size_of_its_value) {
    // 100 aliases of a list of 99 values (100 with the list) reach 10,000
    // exactly; one more value is refused.
    const std::string list = "[" + repeat("x,", 99) + "]";
    EXPECT_EQ(problem_of("a: &l " + list + "\nb: [" + repeat("*l,", 100) + "]\n"), "");
    EXPECT_EQ(problem_of("a: &l " + list + "\nb: [" + repeat("*l,", 100) + "]\nc: &s x\nd: *s\n"),
              "4: aliases repeat more than 10000 values in all; the file is refused");
}

TEST(YamlDocument, refuses_aliases_repeating_more_than_4_mib_of_text) {
    const std::string big = std::string(kMaxScalarBytes, 'x');
    EXPECT_EQ(problem_of("a: &big " + big + "\nb: [" + repeat("*big,", 16) + "]\n"), "");
    EXPECT_EQ(problem_of("a: &big " + big + "\nb: [" + repeat("*big,", 17) + "]\n"),
              "2: aliases repeat more than 4 MiB of text in all; the file is refused");
}

TEST(YamlDocument, refuses_a_second_document) {
    EXPECT_EQ(problem_of("a: 1\n---\nb: 2\n"), "2: a second YAML document; the file must hold one");
    EXPECT_EQ(problem_of("---\na: 1\n...\n"), "");
}

TEST(YamlDocument, names_the_line_and_cause_of_broken_yaml) {
    EXPECT_EQ(problem_of("a: [1, 2\nb: 3\n"),
              "2: not valid YAML: did not find expected ',' or ']' (while parsing a flow "
              "sequence that starts at line 1)");
    EXPECT_EQ(problem_of(std::string("a: 1\nb: x\0y\n", 12)),
              "2: not valid YAML: control characters are not allowed (U+0000 at column 5)");
}

TEST(Utf8Check, refuses_the_first_byte_that_is_not_utf8_with_line_and_column) {
    const auto problem = [](const std::string &text) {
        auto p = find_non_utf8(text);
        return p ? std::to_string(p->line) + ": " + p->message : std::string();
    };
    EXPECT_EQ(problem("plain ascii\n\xc3\xa9t\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\n"), "");
    EXPECT_EQ(problem("a\nb\nc\nd: caf\xe9\n"),
              "4: byte 0xE9 at column 7 is not UTF-8; save the file as UTF-8");
    // Columns count characters: é is one.
    EXPECT_EQ(problem("\xc3\xa9\xc3\xa9\xff"),
              "1: byte 0xFF at column 3 is not UTF-8; save the file as UTF-8");
    EXPECT_EQ(problem("x\xc0\xaf"), "1: byte 0xC0 at column 2 is not UTF-8; save the file as UTF-8")
        << "an overlong '/'";
    EXPECT_EQ(problem("x\xe0\x80\xaf"),
              "1: byte 0xE0 at column 2 is not UTF-8; save the file as UTF-8")
        << "an overlong three-byte form";
    EXPECT_EQ(problem("x\xed\xa0\x80"),
              "1: byte 0xED at column 2 is not UTF-8; save the file as UTF-8")
        << "a surrogate, U+D800";
    EXPECT_EQ(problem("x\xf4\x90\x80\x80"),
              "1: byte 0xF4 at column 2 is not UTF-8; save the file as UTF-8")
        << "U+110000, past the last code point";
    EXPECT_EQ(problem("x\x80"), "1: byte 0x80 at column 2 is not UTF-8; save the file as UTF-8")
        << "a lone continuation byte";
    EXPECT_EQ(problem("x\xe2\x82"), "1: byte 0xE2 at column 2 is not UTF-8; save the file as UTF-8")
        << "cut short at the end";
    EXPECT_EQ(problem("\xf4\x8f\xbf\xbf"), "") << "U+10FFFF is the last one allowed";
}

TEST(CoreSchema, types_plain_scalars_as_yaml_1_2_says) {
    for (const char *null : {"", "~", "null", "Null", "NULL"})
        EXPECT_TRUE(std::holds_alternative<std::nullptr_t>(core_value(null))) << null;
    for (const char *text : {"nULL", "nul", "None"})
        EXPECT_TRUE(std::holds_alternative<std::string_view>(core_value(text))) << text;
    EXPECT_EQ(core_boolean("true"), true);
    EXPECT_EQ(core_boolean("True"), true);
    EXPECT_EQ(core_boolean("TRUE"), true);
    EXPECT_EQ(core_boolean("FALSE"), false);
    EXPECT_EQ(core_boolean("tRUE"), std::nullopt);
    EXPECT_EQ(core_boolean("yes"), std::nullopt);
    EXPECT_EQ(std::get<uint64_t>(core_value("12")), 12u);
    EXPECT_EQ(std::get<uint64_t>(core_value("+12")), 12u);
    EXPECT_EQ(std::get<int64_t>(core_value("-12")), -12);
    EXPECT_EQ(std::get<uint64_t>(core_value("007")), 7u);
    EXPECT_EQ(std::get<uint64_t>(core_value("0o17")), 15u);
    EXPECT_EQ(std::get<uint64_t>(core_value("0x1F")), 31u);
    EXPECT_EQ(std::get<double>(core_value("1.5")), 1.5);
    EXPECT_EQ(std::get<double>(core_value("-.5")), -0.5);
    EXPECT_EQ(std::get<double>(core_value("1.")), 1.0);
    EXPECT_EQ(std::get<double>(core_value("2e3")), 2000.0);
    EXPECT_EQ(std::get<double>(core_value("+1.5E-1")), 0.15);
    EXPECT_EQ(std::get<double>(core_value("-.INF")), -INFINITY);
    EXPECT_EQ(std::get<double>(core_value(".Inf")), INFINITY);
    EXPECT_TRUE(std::isnan(std::get<double>(core_value(".NaN"))));
    for (const char *text : {"0o", "0o8", "0x", "0xg", "0X1F", "1_000", "1.2.3", ".", "-", "+",
                             "e5", "1e", ".nAn", "1,5", " 1", "12 ", "0b101", "inf"})
        EXPECT_TRUE(std::holds_alternative<std::string_view>(core_value(text))) << text;
    // Past 64 bits: the text stays.
    for (const char *text :
         {"18446744073709551616", "-9223372036854775809", "0x10000000000000000", "1e400"})
        EXPECT_EQ(std::get<std::string_view>(core_value(text)), text);
}

}  // namespace
}  // namespace warden::host
