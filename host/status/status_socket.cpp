// SPDX-License-Identifier: Apache-2.0
// host/status/status_socket.cpp
#include "status/status_socket.hpp"

#include "common/unique_fd.hpp"
#include "status/status_request.hpp"

#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstring>
#include <exception>
#include <list>
#include <vector>

namespace warden::host {
namespace {

using Clock = std::chrono::steady_clock;

// After accept fails for want of descriptors or memory, the connection stays
// queued and the listening socket readable: wait this long before trying
// again, rather than spin.
constexpr std::chrono::milliseconds kAcceptPause{100};

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

bool write_all(int fd, std::string_view text) {
    std::size_t done = 0;
    while (done < text.size()) {
        const ssize_t n = ::send(fd, text.data() + done, text.size() - done, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        done += static_cast<std::size_t>(n);
    }
    return true;
}

// One connected client of the server: first the bytes of its request, then
// what it has not taken yet of its answer. Closed when its deadline passes.
struct StatusClient {
    StatusClient(int descriptor, Clock::time_point deadline_at)
        : fd(descriptor), deadline(deadline_at) {}

    UniqueFd fd;
    Clock::time_point deadline;
    std::string received;
    bool answering = false;
    bool brief = false;  ///< it asked for the report without the documents
    std::string answer;
    std::size_t sent = 0;
};

enum class Progress { waiting, asked, done };

// Reads what the client has sent. At most the request and one buffer more
// is ever kept: past the request's length, parse_status_request says invalid.
Progress receive(StatusClient &client) {
    char buffer[64];
    for (;;) {
        const ssize_t n = ::recv(client.fd.fd, buffer, sizeof buffer, 0);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return Progress::waiting;
        if (n <= 0) return Progress::done;
        client.received.append(buffer, static_cast<std::size_t>(n));
        switch (parse_status_request(client.received)) {
            case RequestState::incomplete: break;
            case RequestState::status: return Progress::asked;
            case RequestState::brief: client.brief = true; return Progress::asked;
            case RequestState::invalid: return Progress::done;
        }
    }
}

// Sends as much of the answer as the client takes now.
Progress send_rest(StatusClient &client) {
    while (client.sent < client.answer.size()) {
        const ssize_t n = ::send(client.fd.fd, client.answer.data() + client.sent,
                                 client.answer.size() - client.sent, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return Progress::waiting;
        if (n <= 0) return Progress::done;
        client.sent += static_cast<std::size_t>(n);
    }
    return Progress::done;
}

// Moves the client on after poll saw it ready; false when it is done with.
// The report is made when its request is complete, and only then.
bool serve(StatusClient &client, const StatusServer::Provider &provider,
           std::chrono::milliseconds answer_time, Clock::time_point now) {
    if (!client.answering) {
        const Progress progress = receive(client);
        if (progress != Progress::asked) return progress == Progress::waiting;
        try {
            client.answer = provider(client.brief);
        } catch (const std::exception &) {
            return false;  // No answer: the client says so. The host goes on.
        }
        client.answering = true;
        client.deadline = now + answer_time;
    }
    return send_rest(client) == Progress::waiting;
}

// Takes the connections waiting, at most a table's worth per round so that
// the clients already in the table get their turn. False when accept failed
// for want of descriptors or memory.
bool accept_clients(int listen_fd, const StatusLimits &limits, std::list<StatusClient> &clients,
                    Clock::time_point now) {
    for (std::size_t taken = 0; taken < limits.max_clients;) {
        const int fd = ::accept4(listen_fd, nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK);
        if (fd < 0) {
            if (errno == EINTR || errno == ECONNABORTED) continue;
            return errno == EAGAIN || errno == EWOULDBLOCK;
        }
        ++taken;
        if (clients.size() >= limits.max_clients)
            clients.erase(std::min_element(clients.begin(), clients.end(),
                                           [](const StatusClient &a, const StatusClient &b) {
                                               return a.deadline < b.deadline;
                                           }));
        clients.emplace_back(fd, now + limits.request_time);
    }
    return true;
}

// Milliseconds from `now` to `wake`, rounded up so poll does not wake just
// before a deadline; -1 (no timeout) for Clock::time_point::max().
int poll_timeout(Clock::time_point now, Clock::time_point wake) {
    if (wake == Clock::time_point::max()) return -1;
    if (wake <= now) return 0;
    const auto ms = std::chrono::ceil<std::chrono::milliseconds>(wake - now).count();
    return static_cast<int>(std::min<decltype(ms)>(ms, INT_MAX));
}

}  // namespace

Result<std::unique_ptr<StatusServer>> StatusServer::start(const std::filesystem::path &socket_path,
                                                          Provider provider, StatusLimits limits) {
    auto address = address_of(socket_path);
    if (!address) return address.error();
    const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0) return fail("cannot make status socket: ", std::strerror(errno));
    ::unlink(socket_path.c_str());
    // Readable by the host's group (the packaged host's _warden group), so
    // operators in it may ask for the status without being the host.
    if (::bind(fd, reinterpret_cast<const sockaddr *>(&address.value()), sizeof(sockaddr_un)) !=
            0 ||
        ::chmod(socket_path.c_str(), 0660) != 0 || ::listen(fd, 16) != 0) {
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
    limits.max_clients = std::max<std::size_t>(limits.max_clients, 1);
    std::unique_ptr<StatusServer> server(
        new StatusServer(socket_path, std::move(provider), limits, fd, stop));
    server->thread_ = std::thread([s = server.get()] { s->run(); });
    return server;
}

StatusServer::StatusServer(std::filesystem::path path, Provider provider, StatusLimits limits,
                           int listen_fd, int stop_fd)
    : path_(std::move(path)),
      provider_(std::move(provider)),
      limits_(limits),
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

// Each round polls the stop eventfd, the listening socket and every client
// (for its request, or for room to take more of its answer), until the
// nearest deadline. Then it serves the ready clients, closes those past
// their deadline, and accepts new ones.
void StatusServer::run() {
    std::list<StatusClient> clients;
    std::vector<pollfd> fds;
    Clock::time_point accept_again{};
    for (;;) {
        Clock::time_point now = Clock::now();
        const bool accepting = now >= accept_again;
        Clock::time_point wake = accepting ? Clock::time_point::max() : accept_again;
        fds.clear();
        fds.push_back({stop_fd_, POLLIN, 0});
        fds.push_back({accepting ? listen_fd_ : -1, POLLIN, 0});
        for (const StatusClient &client : clients) {
            fds.push_back({client.fd.fd, client.answering ? short{POLLOUT} : short{POLLIN}, 0});
            wake = std::min(wake, client.deadline);
        }
        if (::poll(fds.data(), fds.size(), poll_timeout(now, wake)) < 0) {
            if (errno == EINTR) continue;
            return;
        }
        if (fds[0].revents != 0) return;

        now = Clock::now();
        auto client = clients.begin();
        for (std::size_t i = 2; i < fds.size(); ++i) {
            bool open = true;
            if (fds[i].revents != 0) open = serve(*client, provider_, limits_.answer_time, now);
            if (open && now >= client->deadline) open = false;
            client = open ? std::next(client) : clients.erase(client);
        }
        if ((fds[1].revents & POLLIN) != 0 && !accept_clients(listen_fd_, limits_, clients, now))
            accept_again = now + kAcceptPause;
    }
}

// A report of thousands of workers is a few MiB.
constexpr std::size_t kMaxReply = 64u << 20;

Result<std::string> request_status(const std::filesystem::path &socket_path,
                                   std::chrono::milliseconds timeout, bool brief) {
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
        return fail_as(err == EACCES || err == EPERM ? ErrorKind::not_permitted : ErrorKind::failed,
                       "cannot connect to ", socket_path.string(), ": ", std::strerror(err));
    }
    if (!write_all(fd, brief ? kBriefStatusRequest : kStatusRequest)) {
        const int err = errno;
        ::close(fd);
        return fail("cannot ask ", socket_path.string(), ": ", std::strerror(err));
    }
    // Whatever listens there answers within the timeout, in all, and with
    // at most kMaxReply bytes.
    std::string reply;
    char buffer[64 * 1024];
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            const int err = errno;
            ::close(fd);
            // SO_RCVTIMEO passed: the host said nothing for the whole timeout.
            if (err == EAGAIN || err == EWOULDBLOCK)
                return fail_as(ErrorKind::timeout, "no answer from ", socket_path.string(),
                               " within ", std::to_string(timeout.count()), " ms");
            return fail("no answer from ", socket_path.string(), ": ", std::strerror(err));
        }
        if (n == 0) break;
        reply.append(buffer, static_cast<std::size_t>(n));
        if (reply.size() > kMaxReply || std::chrono::steady_clock::now() > deadline) {
            ::close(fd);
            return fail_as(reply.size() > kMaxReply ? ErrorKind::failed : ErrorKind::timeout,
                           "no whole answer from ", socket_path.string(), " within ",
                           std::to_string(timeout.count()), " ms and ",
                           std::to_string(kMaxReply >> 20), " MiB");
        }
    }
    if (reply.empty()) {
        ::close(fd);
        return fail("the host on ", socket_path.string(), " closed without an answer");
    }
    ::close(fd);
    return reply;
}

}  // namespace warden::host
