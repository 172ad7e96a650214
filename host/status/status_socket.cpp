// host/status/status_socket.cpp
#include "status/status_socket.hpp"

#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <exception>

namespace warden::host {
namespace {

constexpr char kRequest[] = "status\n";

Result<sockaddr_un> address_of(const std::filesystem::path &path) {
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    const std::string text = path.string();
    if (text.size() >= sizeof address.sun_path)
        return fail("status socket path ", text, " is too long (at most ",
                    std::to_string(sizeof address.sun_path - 1), " bytes)");
    std::memcpy(address.sun_path, text.c_str(), text.size() + 1);
    return address;
}

void set_timeouts(int fd, std::chrono::milliseconds timeout) {
    timeval tv{};
    tv.tv_sec = static_cast<time_t>(timeout.count() / 1000);
    tv.tv_usec = static_cast<suseconds_t>(timeout.count() % 1000 * 1000);
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
}

bool write_all(int fd, const std::string &text) {
    std::size_t done = 0;
    while (done < text.size()) {
        const ssize_t n = ::send(fd, text.data() + done, text.size() - done, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        done += static_cast<std::size_t>(n);
    }
    return true;
}

}  // namespace

Result<std::unique_ptr<StatusServer>> StatusServer::start(const std::filesystem::path &socket_path,
                                                          Provider provider) {
    auto address = address_of(socket_path);
    if (!address) return address.error();
    const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return fail("cannot make status socket: ", std::strerror(errno));
    ::unlink(socket_path.c_str());
    if (::bind(fd, reinterpret_cast<const sockaddr *>(&address.value()), sizeof(sockaddr_un)) !=
            0 ||
        ::listen(fd, 16) != 0) {
        const int err = errno;
        ::close(fd);
        return fail("cannot listen on status socket ", socket_path.string(), ": ",
                    std::strerror(err));
    }
    const int stop = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (stop < 0) {
        const int err = errno;
        ::close(fd);
        return fail("cannot make status socket: eventfd: ", std::strerror(err));
    }
    std::unique_ptr<StatusServer> server(
        new StatusServer(socket_path, std::move(provider), fd, stop));
    server->thread_ = std::thread([s = server.get()] { s->run(); });
    return server;
}

StatusServer::StatusServer(std::filesystem::path path, Provider provider, int listen_fd,
                           int stop_fd)
    : path_(std::move(path)),
      provider_(std::move(provider)),
      listen_fd_(listen_fd),
      stop_fd_(stop_fd) {}

StatusServer::~StatusServer() {
    const uint64_t one = 1;
    (void)!::write(stop_fd_, &one, sizeof one);
    if (thread_.joinable()) thread_.join();
    ::close(listen_fd_);
    ::close(stop_fd_);
    ::unlink(path_.c_str());
}

void StatusServer::run() {
    pollfd fds[2] = {{listen_fd_, POLLIN, 0}, {stop_fd_, POLLIN, 0}};
    for (;;) {
        if (::poll(fds, 2, -1) < 0) {
            if (errno == EINTR) continue;
            return;
        }
        if (fds[1].revents != 0) return;
        const int client = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
        if (client < 0) continue;
        try {
            answer(client);
        } catch (const std::exception &) {
            // No answer: the client says so. The host goes on.
        }
        ::close(client);
    }
}

// A client gets two seconds to ask; anything but the one request gets no answer.
void StatusServer::answer(int client) {
    set_timeouts(client, std::chrono::seconds(2));
    char request[sizeof kRequest] = {};
    std::size_t got = 0;
    while (got < sizeof kRequest - 1) {
        const ssize_t n = ::recv(client, request + got, sizeof kRequest - 1 - got, 0);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return;
        got += static_cast<std::size_t>(n);
    }
    if (std::memcmp(request, kRequest, sizeof kRequest - 1) != 0) return;
    (void)write_all(client, provider_());
}

Result<std::string> request_status(const std::filesystem::path &socket_path,
                                   std::chrono::milliseconds timeout) {
    auto address = address_of(socket_path);
    if (!address) return address.error();
    const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return fail("cannot make a socket: ", std::strerror(errno));
    set_timeouts(fd, timeout);
    if (::connect(fd, reinterpret_cast<const sockaddr *>(&address.value()), sizeof(sockaddr_un)) !=
        0) {
        const int err = errno;
        ::close(fd);
        if (err == ENOENT || err == ECONNREFUSED)
            return fail_as(ErrorKind::not_found, "nothing listens on ", socket_path.string());
        return fail("cannot connect to ", socket_path.string(), ": ", std::strerror(err));
    }
    if (!write_all(fd, kRequest)) {
        const int err = errno;
        ::close(fd);
        return fail("cannot ask ", socket_path.string(), ": ", std::strerror(err));
    }
    std::string reply;
    char buffer[64 * 1024];
    for (;;) {
        const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            const int err = errno;
            ::close(fd);
            return fail("no answer from ", socket_path.string(), ": ", std::strerror(err));
        }
        if (n == 0) break;
        reply.append(buffer, static_cast<std::size_t>(n));
    }
    if (reply.empty()) {
        ::close(fd);
        return fail("the host on ", socket_path.string(), " closed without an answer");
    }
    ::close(fd);
    return reply;
}

}  // namespace warden::host
