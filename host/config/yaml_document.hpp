// SPDX-License-Identifier: Apache-2.0
// host/config/yaml_document.hpp — a config file's YAML as a small tree.
//
// parse_yaml_document reads the text with libyaml's event parser and builds
// the tree as the events arrive, checking every bound in config_limits.hpp
// on the way, so nothing past a bound is ever built: the file's size, its
// UTF-8, the nesting depth, each scalar's length, the number of values. An
// alias stands for the value its anchor names, counted at the size of that
// value wherever it is used; one that names an unknown anchor, or a value
// still open around it (which would contain itself), is refused. Any input
// gives a tree or one problem with its line: never a crash, never an
// exception but std::bad_alloc, and work about linear in the text's size.
//
// THREADING: pure; call from any thread.
#pragma once

#include "config/config_problem.hpp"

#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace warden::host {

struct YamlEntry;

struct YamlNode {
    enum class Kind {
        null,      ///< an empty value, or a plain ~, null, Null, NULL
        scalar,    ///< any other scalar
        sequence,  ///< a list
        map,       ///< a mapping
    };
    Kind kind = Kind::null;
    std::string text;    ///< a scalar's text; empty for the others
    bool plain = false;  ///< a scalar written without quotes or tag: typed by the core schema
    int line = 0;        ///< where the value starts, 1-based
    std::vector<const YamlNode *> items;  ///< a sequence's items, in file order
    std::vector<YamlEntry> entries;       ///< a mapping's entries, in file order

    bool is_scalar() const { return kind == Kind::scalar; }
    bool is_null() const { return kind == Kind::null; }
    bool is_sequence() const { return kind == Kind::sequence; }
    bool is_map() const { return kind == Kind::map; }
};

struct YamlEntry {
    const YamlNode *key;
    const YamlNode *value;
};

/// The one document of a file. An alias and its anchor share one node: the
/// tree is read-only once built.
class YamlDocument {
public:
    YamlDocument() = default;
    YamlDocument(YamlDocument &&) = default;
    YamlDocument &operator=(YamlDocument &&) = default;
    YamlDocument(const YamlDocument &) = delete;
    YamlDocument &operator=(const YamlDocument &) = delete;

    /// The top value; nullptr when the file holds no document (it is empty,
    /// or only blanks and comments).
    const YamlNode *root() const { return root_; }

private:
    friend class YamlBuilder;
    std::vector<std::unique_ptr<YamlNode>> nodes_;  // each on its own: nodes never move
    const YamlNode *root_ = nullptr;
};

/// The document in `text`, or the first problem found, with its line.
std::variant<YamlDocument, ConfigProblem> parse_yaml_document(std::string_view text);

}  // namespace warden::host
