// SPDX-License-Identifier: Apache-2.0
// host/status/status_socket.hpp — how `warden --status` reaches the running
// host: a Unix stream socket in the scan dir's hidden .warden/ directory.
// The client connects and sends "status\n" (status_request.hpp); the host
// answers with the report (status_report.hpp) and closes. Nobody listening
// means no host runs.
//
// THREADING: StatusServer serves every client on its own one thread: a poll
// loop over the listening socket, a stop eventfd and the clients, all
// non-blocking, so a client that is silent or reads slowly holds up no
// other. The provider runs there, once per request. The destructor stops
// the thread, closes the clients and removes the socket.
#pragma once

#include "common/result.hpp"

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <thread>

namespace warden::host {

/// How long a status client may take, and how many are served at once.
struct StatusLimits {
    /// From connecting to a complete request; a client still silent then is closed.
    std::chrono::milliseconds request_time{2000};
    /// From the request to the last byte of the answer taken; a client
    /// reading slower than that is closed with the rest unsent.
    std::chrono::milliseconds answer_time{5000};
    /// Clients served at once. One more connecting drops the one closest to
    /// its deadline: a full table means clients are stuck, and the newest is
    /// the likeliest to have someone waiting on it.
    std::size_t max_clients = 64;
};

class StatusServer {
public:
    /// Makes the report; `brief`: without each worker's documents.
    using Provider = std::function<std::string(bool brief)>;

    /// Listens on `socket_path` (replacing a socket left by a dead host).
    static Result<std::unique_ptr<StatusServer>> start(const std::filesystem::path &socket_path,
                                                       Provider provider, StatusLimits limits = {});
    ~StatusServer();
    StatusServer(const StatusServer &) = delete;
    StatusServer &operator=(const StatusServer &) = delete;

private:
    StatusServer(std::filesystem::path path, Provider provider, StatusLimits limits, int listen_fd,
                 int stop_fd);
    void run();

    const std::filesystem::path path_;
    const Provider provider_;
    const StatusLimits limits_;
    const int listen_fd_;
    const int stop_fd_;
    std::thread thread_;
};

/// The report of the host listening on `socket_path` (`brief`: without each
/// worker's documents): at most 64 MiB, whole within `timeout`. The error's
/// kind: not_found when no host listens there, not_permitted when this user
/// may not connect, timeout when no whole answer came in time, failed for
/// anything else.
Result<std::string> request_status(const std::filesystem::path &socket_path,
                                   std::chrono::milliseconds timeout, bool brief = false);

}  // namespace warden::host
