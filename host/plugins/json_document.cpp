// host/plugins/json_document.cpp
#include "plugins/json_document.hpp"

#include <nlohmann/json.hpp>

namespace warden::host {
namespace {

// The deepest nesting of arrays and objects in `text`, brackets inside
// strings (and escaped quotes) skipped; stops counting past `limit`.
std::size_t nesting_depth(std::string_view text, std::size_t limit) {
    std::size_t depth = 0, deepest = 0;
    bool in_string = false;
    for (std::size_t i = 0; i < text.size() && deepest <= limit; ++i) {
        const char c = text[i];
        if (in_string) {
            if (c == '\\')
                ++i;
            else if (c == '"')
                in_string = false;
        } else if (c == '"') {
            in_string = true;
        } else if (c == '{' || c == '[') {
            deepest = std::max(deepest, ++depth);
        } else if ((c == '}' || c == ']') && depth > 0) {
            --depth;
        }
    }
    return deepest;
}

}  // namespace

bool is_json_object(std::string_view text) {
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos || text[first] != '{') return false;
    if (nesting_depth(text, kMaxJsonDepth) > kMaxJsonDepth) return false;
    // accept() validates (UTF-8 included) without building the document.
    return nlohmann::json::accept(text);
}

}  // namespace warden::host
