// SPDX-License-Identifier: Apache-2.0
// host/plugin_services/json_document.cpp
#include "plugin_services/json_document.hpp"

namespace warden::host {

Result<std::string> finish_document(std::string_view hook, std::string text) {
    if (std::string problem = rules::document_problem(hook, text); !problem.empty())
        return fail(problem);
    return text;
}

}  // namespace warden::host
