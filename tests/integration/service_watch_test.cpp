// SPDX-License-Identifier: Apache-2.0
// tests/integration/service_watch_test.cpp — the ServiceWatch reports each
// change s6 makes to a service on a real s6-svscan: a new service, its
// process coming up, going down.
#include "s6/service_watch.hpp"
#include "s6/s6_client.hpp"

#include "s6_sandbox.hpp"
#include "test_paths.hpp"

#include <gtest/gtest.h>

#include <mutex>
#include <string>
#include <vector>

namespace warden::host {
namespace {

namespace paths = warden::test::paths;
using warden::test::S6Sandbox;
using warden::test::wait_until;

class Reports {
public:
    void add(const std::string &name) {
        std::lock_guard<std::mutex> lock(mutex_);
        names_.push_back(name);
    }
    int count(const std::string &name) const {
        std::lock_guard<std::mutex> lock(mutex_);
        int n = 0;
        for (const auto &seen : names_) n += seen == name;
        return n;
    }

private:
    mutable std::mutex mutex_;
    std::vector<std::string> names_;
};

TEST(ServiceWatch, reports_a_new_service_and_each_change_of_its_process) {
    S6Sandbox sandbox;
    S6Client client(sandbox.options());
    Reports reports;
    auto watch = ServiceWatch::start(sandbox.scan_dir(),
                                     [&](const std::string &name) { reports.add(name); });
    ASSERT_TRUE(watch.ok()) << watch.error().message;

    ServiceSpec spec;
    spec.name = "watched";
    spec.argv = {paths::service_fixture, "say", "hi"};
    ASSERT_TRUE(client.create(spec).ok());
    ASSERT_TRUE(wait_until([&] { return client.observe("watched")->up; }));
    // The new service and its process coming up: two reports, or one when
    // the watch read both in one batch (it reports a service once a batch).
    ASSERT_TRUE(wait_until([&] { return reports.count("watched") >= 1; }))
        << "the new service and its process coming up";

    const int before = reports.count("watched");
    ASSERT_TRUE(client.control("watched", ServiceCommand::stop).ok());
    EXPECT_TRUE(wait_until([&] { return reports.count("watched") > before; }));
    EXPECT_EQ(reports.count(".watched"), 0);
}

TEST(ServiceWatch, names_a_scan_dir_it_cannot_watch) {
    auto watch = ServiceWatch::start("/nonexistent/scan", [](const std::string &) {});
    ASSERT_FALSE(watch.ok());
    EXPECT_EQ(watch.error().message,
              "cannot watch scan dir /nonexistent/scan: No such file or directory");
}

}  // namespace
}  // namespace warden::host
