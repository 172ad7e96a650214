// SPDX-License-Identifier: Apache-2.0
// host/config/yaml_document.cpp
#include "config/yaml_document.hpp"

#include "config/config_limits.hpp"
#include "config/core_schema.hpp"
#include "config/utf8_check.hpp"

#include <warden/validation.hpp>

#include <yaml.h>

#include <algorithm>
#include <cstdio>
#include <optional>
#include <unordered_map>

namespace warden::host {
// Named, not anonymous: YamlBuilder (a friend of YamlDocument, so in
// warden::host) holds these types.
namespace yaml_build {

// What a finished value adds to the one around it, aliases expanded.
struct Weight {
    std::size_t nodes = 0;  // values, itself included
    std::size_t bytes = 0;  // scalar text
    int height = 0;         // mappings and lists nested in it, itself included
};

struct Anchor {
    const YamlNode *node = nullptr;
    Weight weight;
    bool open = true;  // its value has not ended yet
};

// A mapping or list whose end has not come yet.
struct OpenNode {
    YamlNode *node = nullptr;
    Weight weight;                  // of its children so far
    const YamlNode *key = nullptr;  // a mapping's key waiting for its value
    const char *anchor = nullptr;   // points into anchors_' key
};

std::string size_text(std::size_t bytes) {
    return bytes % (1u << 20) == 0 ? std::to_string(bytes >> 20) + " MiB"
                                   : std::to_string(bytes >> 10) + " KiB";
}

int line_of(const yaml_mark_t &mark) {
    return static_cast<int>(std::min<std::size_t>(mark.line, 1u << 30)) + 1;
}

// libyaml's parser, freed whatever happens.
struct Parser {
    yaml_parser_t parser;
    bool ready;
    explicit Parser(std::string_view text) : ready(yaml_parser_initialize(&parser) != 0) {
        if (!ready) return;
        yaml_parser_set_input_string(&parser, reinterpret_cast<const unsigned char *>(text.data()),
                                     text.size());
        yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING);
    }
    ~Parser() {
        if (ready) yaml_parser_delete(&parser);
    }
    Parser(const Parser &) = delete;
    Parser &operator=(const Parser &) = delete;
};

struct Event {
    yaml_event_t event{};
    ~Event() { yaml_event_delete(&event); }
};

// libyaml's refusal as a problem with its line. A reader error (a control
// character) carries a byte offset rather than a line.
ConfigProblem syntax_problem(const yaml_parser_t &parser, std::string_view text) {
    if (parser.error == YAML_MEMORY_ERROR)
        return ConfigProblem{0, "not enough memory to read the file"};
    const std::string problem = printable(parser.problem ? parser.problem : "unknown error", 200);
    if (parser.error == YAML_READER_ERROR) {
        const std::size_t offset = std::min(parser.problem_offset, text.size());
        const std::string_view before = text.substr(0, offset);
        const int line = 1 + static_cast<int>(std::count(before.begin(), before.end(), '\n'));
        const std::size_t line_start = before.rfind('\n') + 1;  // npos + 1 == 0
        int column = 1;
        for (std::size_t i = line_start; i < offset; ++i)
            if ((static_cast<unsigned char>(text[i]) & 0xc0) != 0x80) ++column;
        char code[16];
        std::snprintf(code, sizeof code, "U+%04X", static_cast<unsigned>(parser.problem_value));
        return ConfigProblem{line, "not valid YAML: " + problem + " (" + code + " at column " +
                                       std::to_string(column) + ")"};
    }
    std::string message = "not valid YAML: " + problem;
    if (parser.context)
        message += " (" + printable(parser.context, 200) + " that starts at line " +
                   std::to_string(line_of(parser.context_mark)) + ")";
    return ConfigProblem{line_of(parser.problem_mark), std::move(message)};
}

}  // namespace yaml_build

using namespace yaml_build;

// Builds the tree from libyaml's events, one at a time; false: `problem` says
// why it stopped.
class YamlBuilder {
public:
    YamlDocument document;
    std::optional<ConfigProblem> problem;

    bool take(const yaml_event_t &event) {
        const int line = line_of(event.start_mark);
        switch (event.type) {
            case YAML_DOCUMENT_START_EVENT:
                if (documents_++ == 0) return true;
                return refuse(line, "a second YAML document; the file must hold one");
            case YAML_SCALAR_EVENT: return scalar(event, line);
            case YAML_ALIAS_EVENT:
                return alias(reinterpret_cast<const char *>(event.data.alias.anchor), line);
            case YAML_SEQUENCE_START_EVENT:
                return open(YamlNode::Kind::sequence, event.data.sequence_start.anchor, line);
            case YAML_MAPPING_START_EVENT:
                return open(YamlNode::Kind::map, event.data.mapping_start.anchor, line);
            case YAML_SEQUENCE_END_EVENT:
            case YAML_MAPPING_END_EVENT: close(); return true;
            default: return true;
        }
    }

private:
    bool refuse(int line, std::string message) {
        problem = ConfigProblem{line, std::move(message)};
        return false;
    }

    bool refuse_limit(int line, const std::string &what) {
        return refuse(line, what + "; the file is refused");
    }

    YamlNode *make(YamlNode::Kind kind, int line) {
        document.nodes_.push_back(std::make_unique<YamlNode>());
        YamlNode *node = document.nodes_.back().get();
        node->kind = kind;
        node->line = line;
        return node;
    }

    bool count_node(int line) {
        if (nodes_ + 1 > kMaxConfigNodes)
            return refuse_limit(line, "more than " + std::to_string(kMaxConfigNodes) +
                                          " values in the file, aliases expanded");
        ++nodes_;
        return true;
    }

    bool scalar(const yaml_event_t &whole, int line) {
        const auto &event = whole.data.scalar;
        if (event.length > kMaxScalarBytes)
            return refuse_limit(line, "a value longer than " + size_text(kMaxScalarBytes));
        if (!count_node(line)) return false;
        const std::string_view text(reinterpret_cast<const char *>(event.value), event.length);
        const bool plain = event.tag == nullptr && event.style == YAML_PLAIN_SCALAR_STYLE;
        YamlNode *node =
            make(plain && is_core_null(text) ? YamlNode::Kind::null : YamlNode::Kind::scalar, line);
        node->text = text;
        node->plain = plain;
        const Weight weight{1, text.size(), 0};
        if (event.anchor) define(event.anchor, node, weight, false);
        attach(node, weight);
        return true;
    }

    bool open(YamlNode::Kind kind, const yaml_char_t *anchor, int line) {
        if (open_.size() >= static_cast<std::size_t>(kMaxConfigDepth))
            return refuse_limit(
                line, "nesting deeper than " + std::to_string(kMaxConfigDepth) + " levels");
        if (!count_node(line)) return false;
        OpenNode frame;
        frame.node = make(kind, line);
        if (anchor) frame.anchor = define(anchor, frame.node, Weight{}, true);
        open_.push_back(frame);
        return true;
    }

    void close() {
        if (open_.empty()) return;
        const OpenNode frame = open_.back();
        open_.pop_back();
        const Weight weight{frame.weight.nodes + 1, frame.weight.bytes, frame.weight.height + 1};
        if (frame.anchor) {
            // A later anchor of the same name may have replaced this one.
            auto found = anchors_.find(frame.anchor);
            if (found != anchors_.end() && found->second.node == frame.node) {
                found->second.weight = weight;
                found->second.open = false;
            }
        }
        attach(frame.node, weight);
    }

    bool alias(const char *name, int line) {
        const auto found = anchors_.find(name);
        if (found == anchors_.end())
            return refuse(line, "alias *" + printable(name, 80) + " refers to no anchor &" +
                                    printable(name, 80) + " before it");
        const Anchor &anchor = found->second;
        if (anchor.open)
            return refuse(line, "alias *" + printable(name, 80) +
                                    " refers to the value that holds it (&" + printable(name, 80) +
                                    " at line " + std::to_string(anchor.node->line) +
                                    "); a value cannot contain itself");
        const Weight &weight = anchor.weight;
        if (alias_nodes_ + weight.nodes > kMaxAliasNodes)
            return refuse_limit(line, "aliases repeat more than " + std::to_string(kMaxAliasNodes) +
                                          " values in all");
        if (alias_bytes_ + weight.bytes > kMaxAliasBytes)
            return refuse_limit(
                line, "aliases repeat more than " + size_text(kMaxAliasBytes) + " of text in all");
        if (nodes_ + weight.nodes > kMaxConfigNodes)
            return refuse_limit(line, "more than " + std::to_string(kMaxConfigNodes) +
                                          " values in the file, aliases expanded");
        if (open_.size() + static_cast<std::size_t>(weight.height) >
            static_cast<std::size_t>(kMaxConfigDepth))
            return refuse_limit(
                line, "nesting deeper than " + std::to_string(kMaxConfigDepth) + " levels");
        alias_nodes_ += weight.nodes;
        alias_bytes_ += weight.bytes;
        nodes_ += weight.nodes;
        attach(anchor.node, weight);
        return true;
    }

    // Records an anchor; the pointer to its name lives as long as the map.
    const char *define(const yaml_char_t *name, const YamlNode *node, Weight weight, bool open) {
        auto [at, fresh] = anchors_.insert_or_assign(reinterpret_cast<const char *>(name),
                                                     Anchor{node, weight, open});
        (void)fresh;
        return at->first.c_str();
    }

    void attach(const YamlNode *node, const Weight &weight) {
        if (open_.empty()) {
            if (!document.root_) document.root_ = node;
            return;
        }
        OpenNode &parent = open_.back();
        parent.weight.nodes += weight.nodes;
        parent.weight.bytes += weight.bytes;
        parent.weight.height = std::max(parent.weight.height, weight.height);
        if (parent.node->kind == YamlNode::Kind::sequence) {
            parent.node->items.push_back(node);
        } else if (parent.key == nullptr) {
            parent.key = node;
        } else {
            parent.node->entries.push_back(YamlEntry{parent.key, node});
            parent.key = nullptr;
        }
    }

    std::vector<OpenNode> open_;
    std::unordered_map<std::string, Anchor> anchors_;
    int documents_ = 0;
    std::size_t nodes_ = 0;
    std::size_t alias_nodes_ = 0;
    std::size_t alias_bytes_ = 0;
};

std::variant<YamlDocument, ConfigProblem> parse_yaml_document(std::string_view text) {
    if (text.size() > kMaxConfigBytes)
        return ConfigProblem{0, "the file is larger than " + size_text(kMaxConfigBytes) + " (" +
                                    std::to_string(kMaxConfigBytes) +
                                    " bytes); the file is refused"};
    if (auto problem = find_non_utf8(text)) return *problem;
    Parser parser(text);
    if (!parser.ready) return ConfigProblem{0, "not enough memory to read the file"};
    YamlBuilder builder;
    for (;;) {
        Event event;
        if (!yaml_parser_parse(&parser.parser, &event.event))
            return syntax_problem(parser.parser, text);
        if (!builder.take(event.event)) return std::move(*builder.problem);
        if (event.event.type == YAML_STREAM_END_EVENT) break;
    }
    return std::move(builder.document);
}

}  // namespace warden::host
