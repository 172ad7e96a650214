// host/status/status_socket.hpp — how `warden --status` reaches the running
// host: a Unix stream socket in the scan dir's hidden .warden/ directory.
// The client connects and sends "status\n"; the host answers with the
// report (status_report.hpp) and closes. Nobody listening means no host
// runs.
//
// THREADING: StatusServer answers on its own thread, one client at a time,
// calling the provider there; the destructor stops it and removes the socket.
#pragma once

#include "common/result.hpp"

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <thread>

namespace warden::host {

class StatusServer {
public:
    using Provider = std::function<std::string()>;

    /// Listens on `socket_path` (replacing a socket left by a dead host).
    static Result<std::unique_ptr<StatusServer>> start(const std::filesystem::path &socket_path,
                                                       Provider provider);
    ~StatusServer();
    StatusServer(const StatusServer &) = delete;
    StatusServer &operator=(const StatusServer &) = delete;

private:
    StatusServer(std::filesystem::path path, Provider provider, int listen_fd, int stop_fd);
    void run();
    void answer(int client);

    const std::filesystem::path path_;
    const Provider provider_;
    const int listen_fd_;
    const int stop_fd_;
    std::thread thread_;
};

/// The report of the host listening on `socket_path`. A not_found error
/// when no host listens there.
Result<std::string> request_status(const std::filesystem::path &socket_path,
                                   std::chrono::milliseconds timeout);

}  // namespace warden::host
