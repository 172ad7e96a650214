// SPDX-License-Identifier: Apache-2.0
// host/app/show_status.cpp
#include "app/show_status.hpp"

#include "app/host_paths.hpp"
#include "common/clock.hpp"
#include "status/status_report.hpp"
#include "status/status_socket.hpp"

#include <chrono>

namespace warden::host {

int show_status(const Settings &settings, std::ostream &out, std::ostream &err) {
    const std::filesystem::path socket = status_socket_path(settings.scan_dir);
    auto reply = request_status(socket, std::chrono::seconds(5));
    if (!reply) {
        if (reply.error().kind == ErrorKind::not_found) {
            err << "warden: no host runs on scan dir " << settings.scan_dir.string() << " ("
                << reply.error().message << ")\n";
            return 3;
        }
        err << "warden: " << reply.error().message << "\n";
        return 1;
    }
    HostReport host;
    std::vector<WorkerReport> workers;
    if (!decode_report(reply.value(), host, workers)) {
        err << "warden: the host on " << socket.string() << " sent something that is not a "
            << "status report\n";
        return 1;
    }
    out << format_table(host, workers, unix_ns());
    return 0;
}

}  // namespace warden::host
