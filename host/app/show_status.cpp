// SPDX-License-Identifier: Apache-2.0
// host/app/show_status.cpp — asking the running host for its report, and
// printing it, or why there is none, in the format asked for.
#include "app/show_status.hpp"

#include "app/host_paths.hpp"
#include "common/clock.hpp"
#include "status/status_report.hpp"
#include "status/status_socket.hpp"

#include <chrono>

namespace warden::host {
namespace {

// How long the whole answer may take.
constexpr std::chrono::seconds kStatusTimeout{5};

StatusErrorKind error_kind(ErrorKind kind) {
    switch (kind) {
        case ErrorKind::not_found: return StatusErrorKind::no_host;
        case ErrorKind::not_permitted: return StatusErrorKind::permission_denied;
        case ErrorKind::timeout: return StatusErrorKind::timeout;
        default: return StatusErrorKind::request_failed;
    }
}

}  // namespace

int status_failure(StatusFormat format, StatusErrorKind kind, const std::string &message,
                   int exit_status, std::ostream &out, std::ostream &err) {
    err << "warden: " << message << "\n";
    if (format == StatusFormat::json) out << status_error_json(kind, message) << std::flush;
    return exit_status;
}

int show_status(const Settings &settings, StatusFormat format, std::ostream &out,
                std::ostream &err) {
    const std::filesystem::path socket = status_socket_path(settings.scan_dir);
    // The table shows no documents: it asks for the report without them.
    auto reply = request_status(socket, kStatusTimeout, format != StatusFormat::json);
    if (!reply) {
        const Error &error = reply.error();
        if (error.kind == ErrorKind::not_found)
            return status_failure(format, StatusErrorKind::no_host,
                                  "no host runs on scan dir " + settings.scan_dir.string() + " (" +
                                      error.message + ")",
                                  3, out, err);
        return status_failure(format, error_kind(error.kind), error.message, 1, out, err);
    }
    HostReport host;
    std::vector<WorkerReport> workers;
    if (!decode_report(reply.value(), host, workers))
        return status_failure(
            format, StatusErrorKind::bad_answer,
            "the host on " + socket.string() + " sent something that is not a status report", 1,
            out, err);
    if (format == StatusFormat::json)
        out << status_json(host, workers, unix_ns());
    else
        out << format_table(host, workers, unix_ns());
    return 0;
}

}  // namespace warden::host
