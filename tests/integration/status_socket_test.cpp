// SPDX-License-Identifier: Apache-2.0
// tests/integration/status_socket_test.cpp — the host's status socket with
// real clients on a real Unix socket: `warden --status` (request_status) is
// answered while other clients stay silent, never read, send garbage or
// crowd the server; each of those is closed at its deadline or at once.
// Every wait has a deadline; no test waits longer than the server's own.
#include "status/status_socket.hpp"

#include "s6_sandbox.hpp"
#include "temp_dir.hpp"

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace warden::host {
namespace {

using namespace std::chrono_literals;
using warden::test::TempDir;
using warden::test::wait_until;

// What a host's report looks like on the wire, `lines` workers long.
std::string report_of(std::size_t lines) {
    std::string text = "{\"host\":{\"pid\":42}}\n";
    for (std::size_t i = 0; i < lines; ++i)
        text += "{\"type\":\"exec\",\"name\":\"worker-" + std::to_string(i) + "\"}\n";
    return text;
}

// A status server on its own socket in a fresh temp dir, counting the
// reports it computes.
class StatusSocket {
public:
    explicit StatusSocket(std::string report, StatusLimits limits = {})
        : report_(std::move(report)) {
        auto server = StatusServer::start(
            socket_,
            [this](bool brief) {
                ++reports_made_;
                if (brief) ++brief_reports_made_;
                return report_;
            },
            limits);
        if (!server) throw std::runtime_error(server.error().message);
        server_ = std::move(server).value();
    }

    const std::filesystem::path &path() const { return socket_; }
    const std::string &report() const { return report_; }
    int reports_made() const { return reports_made_.load(); }
    int brief_reports_made() const { return brief_reports_made_.load(); }
    void stop() { server_.reset(); }

private:
    TempDir dir_{"warden-status-socket"};
    const std::filesystem::path socket_ = dir_ / "control";
    const std::string report_;
    std::atomic<int> reports_made_{0};
    std::atomic<int> brief_reports_made_{0};
    std::unique_ptr<StatusServer> server_;
};

// A client connection the test drives by hand. Connecting gives up after
// 10 s, so a server that never accepts fails the test instead of hanging it.
class RawClient {
public:
    explicit RawClient(const std::filesystem::path &socket) {
        fd_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd_ < 0) return;
        timeval ten_seconds{10, 0};
        ::setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &ten_seconds, sizeof ten_seconds);
        sockaddr_un address{};
        address.sun_family = AF_UNIX;
        std::strncpy(address.sun_path, socket.c_str(), sizeof address.sun_path - 1);
        connected_ =
            ::connect(fd_, reinterpret_cast<const sockaddr *>(&address), sizeof address) == 0;
    }
    ~RawClient() {
        if (fd_ >= 0) ::close(fd_);
    }
    RawClient(const RawClient &) = delete;
    RawClient &operator=(const RawClient &) = delete;

    bool connected() const { return connected_; }

    bool send(const std::string &bytes) {
        return ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL) ==
               static_cast<ssize_t>(bytes.size());
    }

    /// The server closed its end (whether or not this end has read all).
    bool hung_up() const {
        pollfd p{fd_, POLLIN, 0};
        return ::poll(&p, 1, 0) == 1 && (p.revents & POLLHUP) != 0;
    }

    struct Received {
        std::string bytes;
        bool closed = false;  ///< the server closed the connection
    };

    /// Everything the server sends until it closes, or until `timeout` passes.
    Received read_until_closed(std::chrono::milliseconds timeout) {
        Received received;
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        char buffer[64 * 1024];
        for (;;) {
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                deadline - std::chrono::steady_clock::now());
            if (left.count() <= 0) return received;
            pollfd p{fd_, POLLIN, 0};
            if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
            const ssize_t n = ::recv(fd_, buffer, sizeof buffer, MSG_DONTWAIT);
            if (n < 0 && (errno == EAGAIN || errno == EINTR)) continue;
            if (n <= 0) {
                received.closed = true;
                return received;
            }
            received.bytes.append(buffer, static_cast<std::size_t>(n));
        }
    }

private:
    int fd_ = -1;
    bool connected_ = false;
};

std::vector<std::unique_ptr<RawClient>> connect_many(const std::filesystem::path &socket,
                                                     std::size_t count) {
    std::vector<std::unique_ptr<RawClient>> clients;
    for (std::size_t i = 0; i < count; ++i) clients.push_back(std::make_unique<RawClient>(socket));
    return clients;
}

std::size_t count_connected(const std::vector<std::unique_ptr<RawClient>> &clients) {
    std::size_t n = 0;
    for (const auto &c : clients) n += c->connected() ? 1 : 0;
    return n;
}

TEST(StatusSocket, answers_warden_status_while_five_silent_clients_are_connected) {
    StatusSocket server(report_of(3));
    auto silent = connect_many(server.path(), 5);
    ASSERT_EQ(count_connected(silent), 5u);

    // The timeout `warden --status` uses.
    auto reply = request_status(server.path(), 5s);
    ASSERT_TRUE(reply) << reply.error().message;
    EXPECT_EQ(reply.value(), server.report());

    // The server's 2 s for a request pass: each silent client sees the end,
    // and no answer.
    for (auto &client : silent) {
        const auto received = client->read_until_closed(10s);
        EXPECT_TRUE(received.closed);
        EXPECT_EQ(received.bytes, "");
    }
    EXPECT_EQ(server.reports_made(), 1);
    EXPECT_EQ(server.brief_reports_made(), 0);

    // The table's request: the report without the documents.
    auto brief = request_status(server.path(), 5s, /*brief=*/true);
    ASSERT_TRUE(brief) << brief.error().message;
    EXPECT_EQ(server.reports_made(), 2);
    EXPECT_EQ(server.brief_reports_made(), 1);
}

TEST(StatusSocket,
     answers_while_sixty_silent_clients_are_connected_and_closes_each_at_its_deadline) {
    StatusSocket server(report_of(3));
    auto silent = connect_many(server.path(), 60);
    ASSERT_EQ(count_connected(silent), 60u);

    auto reply = request_status(server.path(), 5s);
    ASSERT_TRUE(reply) << reply.error().message;
    EXPECT_EQ(reply.value(), server.report());

    std::size_t closed_without_answer = 0;
    for (auto &client : silent) {
        const auto received = client->read_until_closed(10s);
        closed_without_answer += received.closed && received.bytes.empty() ? 1 : 0;
    }
    EXPECT_EQ(closed_without_answer, 60u);
}

TEST(StatusSocket, answers_others_while_clients_that_asked_never_read_and_cuts_those_off) {
    // Far more than a socket buffer holds: the server cannot hand it over at once.
    StatusSocket server(report_of(60'000), StatusLimits{2s, 2s, 64});
    ASSERT_GT(server.report().size(), 2u << 20);
    auto stuck = connect_many(server.path(), 3);
    ASSERT_EQ(count_connected(stuck), 3u);
    for (auto &client : stuck) ASSERT_TRUE(client->send("status\n"));

    auto reply = request_status(server.path(), 5s);
    ASSERT_TRUE(reply) << reply.error().message;
    EXPECT_EQ(reply.value(), server.report());

    // Past their two seconds to take the answer, the server hangs up on them:
    // what they read then is only the part that was in flight.
    for (auto &client : stuck) {
        ASSERT_TRUE(wait_until([&] { return client->hung_up(); }, 10s))
            << "the server never gave up on a client that does not read";
        const auto received = client->read_until_closed(10s);
        EXPECT_TRUE(received.closed);
        EXPECT_LT(received.bytes.size(), server.report().size());
        EXPECT_EQ(received.bytes, server.report().substr(0, received.bytes.size()));
    }
}

TEST(StatusSocket, closes_a_client_that_sends_anything_but_the_request_without_an_answer) {
    // A minute to ask: a client closed within the test's wait was closed for
    // what it sent, not for its silence.
    StatusSocket server(report_of(3), StatusLimits{60s, 60s, 64});
    for (const std::string &garbage :
         {std::string("hello\n"), std::string("status\nstatus\n"), std::string("STATUS\n"),
          std::string("status \n"), std::string("\0", 1), std::string(4096, 'x')}) {
        RawClient client(server.path());
        ASSERT_TRUE(client.connected());
        ASSERT_TRUE(client.send(garbage));
        const auto received = client.read_until_closed(10s);
        EXPECT_TRUE(received.closed) << "still open after sending " << garbage.size() << " bytes";
        EXPECT_EQ(received.bytes, "") << "answered " << garbage.size() << " bytes";
    }
    EXPECT_EQ(server.reports_made(), 0);

    auto reply = request_status(server.path(), 5s);
    ASSERT_TRUE(reply) << reply.error().message;
    EXPECT_EQ(reply.value(), server.report());
}

TEST(StatusSocket, answers_a_new_client_when_more_than_64_are_connected_by_dropping_the_oldest) {
    StatusSocket server(report_of(3));
    auto silent = connect_many(server.path(), 70);
    ASSERT_EQ(count_connected(silent), 70u);

    auto reply = request_status(server.path(), 5s);
    ASSERT_TRUE(reply) << reply.error().message;
    EXPECT_EQ(reply.value(), server.report());
    // To take the 71st connection the server dropped the 7 closest to their
    // deadline, the first ones, before it read the 71st's request.
    for (std::size_t i = 0; i < 7; ++i)
        EXPECT_TRUE(silent[i]->hung_up()) << "connection " << i << " is still open";

    for (auto &client : silent) {
        const auto received = client->read_until_closed(10s);
        EXPECT_TRUE(received.closed);
        EXPECT_EQ(received.bytes, "");
    }
    reply = request_status(server.path(), 5s);
    ASSERT_TRUE(reply) << reply.error().message;
    EXPECT_EQ(server.reports_made(), 2);
}

TEST(StatusSocket, gives_each_of_many_clients_asking_at_once_the_whole_report) {
    // A few hundred kB: most answers take more than one write.
    StatusSocket server(report_of(5'000));
    constexpr int kThreads = 16;
    constexpr int kRequests = 20;
    std::atomic<int> whole{0};
    std::vector<std::string> failures(kThreads);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t)
        threads.emplace_back([&, t] {
            for (int i = 0; i < kRequests; ++i) {
                auto reply = request_status(server.path(), 5s);
                if (!reply)
                    failures[t] = reply.error().message;
                else if (reply.value() == server.report())
                    ++whole;
                else
                    failures[t] = "a report of " + std::to_string(reply.value().size()) + " bytes";
            }
        });
    for (auto &thread : threads) thread.join();
    for (const std::string &failure : failures) EXPECT_EQ(failure, "");
    EXPECT_EQ(whole.load(), kThreads * kRequests);
    EXPECT_EQ(server.reports_made(), kThreads * kRequests);
}

TEST(StatusSocket, stopping_the_server_closes_its_clients_and_removes_the_socket) {
    StatusSocket server(report_of(60'000), StatusLimits{60s, 60s, 64});
    RawClient silent(server.path());
    RawClient stuck(server.path());
    ASSERT_TRUE(silent.connected());
    ASSERT_TRUE(stuck.connected());
    ASSERT_TRUE(stuck.send("status\n"));
    ASSERT_TRUE(wait_until([&] { return server.reports_made() == 1; }, 10s));

    server.stop();
    EXPECT_FALSE(std::filesystem::exists(server.path()));
    EXPECT_TRUE(silent.hung_up());
    EXPECT_TRUE(stuck.hung_up());
    auto reply = request_status(server.path(), 5s);
    ASSERT_FALSE(reply);
    EXPECT_EQ(reply.error().kind, ErrorKind::not_found) << reply.error().message;
}

}  // namespace
}  // namespace warden::host
