// SPDX-License-Identifier: Apache-2.0
// tests/unit/kit_yaml_writer_test.cpp — the worker kit's YAML writer: strings
// stay strings, lists and mappings nest in block style, the same value gives
// the same bytes.
#include <warden/kit/yaml_writer.hpp>

#include <gtest/gtest.h>

namespace warden::kit {
namespace {

TEST(KitYamlWriter, keeps_strings_strings_and_nests_lists) {
    const nlohmann::json value = nlohmann::json::parse(
        R"({"a":["yes","08",1,true,null,{"b":[[1,2],{}],"c":"x\ny"}],"d":[]})");
    EXPECT_EQ(to_yaml(value),
              "\"a\":\n"
              "  - \"yes\"\n"
              "  - \"08\"\n"
              "  - 1\n"
              "  - true\n"
              "  - null\n"
              "  - \"b\":\n"
              "      - - 1\n"
              "        - 2\n"
              "      - {}\n"
              "    \"c\": \"x\\ny\"\n"
              "\"d\": []\n");
}

TEST(KitYamlWriter, empty_documents_and_escapes) {
    EXPECT_EQ(to_yaml(nlohmann::json::object()), "{}\n");
    EXPECT_EQ(to_yaml(nlohmann::json::array()), "[]\n");
    EXPECT_EQ(to_yaml(nlohmann::json::parse(R"({"k: v":"a\"b","z":1.5})")),
              "\"k: v\": \"a\\\"b\"\n\"z\": 1.5\n");
}

}  // namespace
}  // namespace warden::kit
