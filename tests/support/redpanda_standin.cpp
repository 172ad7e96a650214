// SPDX-License-Identifier: Apache-2.0
// tests/support/redpanda_standin.cpp
#include "redpanda_standin.hpp"

#include "loopback.hpp"
#include "s6_sandbox.hpp"
#include "temp_dir.hpp"
#include "test_paths.hpp"

#include <httplib.h>

#include <vector>

namespace warden::test {
namespace {

// Its redpanda.yaml and data directory (with the stand-in's knobs) in
// `dir`; its command line.
std::vector<std::string> prepared(const std::filesystem::path &dir, uint16_t kafka,
                                  uint16_t admin) {
    const std::filesystem::path data = dir / "redpanda-data";
    std::filesystem::create_directories(data);
    write_file(data / "standin.yaml", "boot_ms: 20\n");
    const auto listener = [](uint16_t port) {
        return "{address: 127.0.0.1, port: " + std::to_string(port) + "}";
    };
    write_file(dir / "redpanda.yaml", "redpanda:\n  data_directory: " + data.string() +
                                          "\n  rpc_server: " + listener(free_port()) +
                                          "\n  kafka_api: [" + listener(kafka) + "]\n  admin: [" +
                                          listener(admin) + "]\n  developer_mode: true\n");
    return {paths::redpanda_fixture, "--redpanda-cfg", (dir / "redpanda.yaml").string()};
}

}  // namespace

RedpandaStandIn::RedpandaStandIn(const std::filesystem::path &dir, uint16_t kafka_port)
    : kafka_port_(kafka_port != 0 ? kafka_port : free_port()),
      admin_port_(free_port()),
      process_(prepared(dir, kafka_port_, admin_port_), dir / "redpanda.out",
               dir / "redpanda.err") {}

bool RedpandaStandIn::built() {
    return std::filesystem::exists(paths::redpanda_fixture);
}

bool RedpandaStandIn::ready(std::chrono::milliseconds timeout) const {
    httplib::Client admin("127.0.0.1", admin_port_);
    admin.set_connection_timeout(std::chrono::seconds(1));
    admin.set_read_timeout(std::chrono::seconds(2));
    return wait_until(
        [&] {
            const auto result = admin.Get("/v1/status/ready");
            return result && result->body == "{\"status\":\"ready\"}";
        },
        timeout);
}

}  // namespace warden::test
