// SPDX-License-Identifier: Apache-2.0
// benthos_log.hpp — reading Benthos's own words from its log.
//
// Benthos logs in logfmt (the worker renders `logger.format: logfmt`), and
// s6-log stores each line behind a timestamp:
//
//   2026-11-22T06:30:00.123456789  level=error msg="Failed to send message to reject: nope" ...
//
// A degraded reason is most useful with the error Benthos itself gave, so the
// worker looks for the newest error line when something is wrong.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace benthos_plugin {

/// The `msg` of the newest line logged at level error or fatal by the newest
/// process in `lines` (since Benthos last said it started); "" if none.
std::string newest_error(const std::vector<std::string> &lines);

/// The value of logfmt field `key` in `line` (quotes and escapes undone); ""
/// if the line has no such field.
std::string logfmt_field(std::string_view line, std::string_view key);

}  // namespace benthos_plugin
