// SPDX-License-Identifier: Apache-2.0
// host/net/port_registry.cpp
#include "net/port_registry.hpp"

#include "s6/file_ops.hpp"

#include <warden/validation.hpp>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <optional>

namespace warden::host {
namespace {

constexpr const char *kLineFormat = "<port> <type>/<name> <purpose>";

std::string worker_label(std::string_view type, std::string_view name) {
    std::string label(type);
    label += '/';
    label.append(name);
    return label;
}

// "24000" -> 24000; anything but 1..65535 in plain digits -> 0.
uint32_t parse_port(std::string_view text) {
    if (text.empty() || text.size() > 5 || text.front() == '0') return 0;
    uint32_t port = 0;
    for (const char c : text) {
        if (c < '0' || c > '9') return 0;
        port = port * 10 + static_cast<uint32_t>(c - '0');
    }
    return port <= 65535 ? port : 0;
}

}  // namespace

bool valid_port_purpose(std::string_view purpose) {
    return warden::valid_fsm_name(purpose);
}

PortRegistry::PortRegistry(PortRange range) : range_(range) {}

PortRegistry::PortRegistry(std::filesystem::path file, PortRange range)
    : file_(std::move(file)), range_(range) {}

Result<std::unique_ptr<PortRegistry>> PortRegistry::open(const std::filesystem::path &file,
                                                         PortRange range) {
    std::unique_ptr<PortRegistry> registry(new PortRegistry(file, range));
    if (Result<void> loaded = registry->load(); !loaded) return loaded.error();
    return registry;
}

Result<void> PortRegistry::load() {
    auto content = read_file_if_exists(file_);
    if (!content)
        return fail("port reservations file ", file_.string(), ": ", content.error().message);
    if (!content.value()) return {};
    const std::string &text = *content.value();
    std::map<uint32_t, int> line_of_port;
    int line_number = 0;
    for (std::size_t start = 0; start < text.size();) {
        const std::size_t end = std::min(text.find('\n', start), text.size());
        const std::string_view line = std::string_view(text).substr(start, end - start);
        start = end + 1;
        ++line_number;
        if (line.empty() || line.front() == '#') continue;
        const auto corrupt = [&](const std::string &why) {
            return fail("port reservations file ", file_.string(), ": line ",
                        std::to_string(line_number), ": ", why,
                        "; fix or remove the file (removed: ports are chosen again)");
        };
        const std::size_t space1 = line.find(' ');
        const std::size_t slash = line.find('/', space1 == std::string_view::npos ? 0 : space1);
        const std::size_t space2 = line.find(' ', slash == std::string_view::npos ? 0 : slash);
        if (space1 == std::string_view::npos || slash == std::string_view::npos ||
            space2 == std::string_view::npos)
            return corrupt("'" + printable(line, 120) + "' is not '" + kLineFormat + "'");
        const uint32_t port = parse_port(line.substr(0, space1));
        const std::string_view type = line.substr(space1 + 1, slash - space1 - 1);
        const std::string_view name = line.substr(slash + 1, space2 - slash - 1);
        const std::string_view purpose = line.substr(space2 + 1);
        if (port == 0 || !valid_fsm_name(type) || !valid_service_name(name) ||
            !valid_port_purpose(purpose))
            return corrupt("'" + printable(line, 120) + "' is not '" + kLineFormat + "'");
        if (auto seen = line_of_port.find(port); seen != line_of_port.end())
            return corrupt("port " + std::to_string(port) + " is reserved twice (also at line " +
                           std::to_string(seen->second) + ")");
        if (!ports_.emplace(Key{type, name, purpose}, port).second)
            return corrupt(worker_label(type, name) + " has two ports for " + std::string(purpose));
        line_of_port.emplace(port, line_number);
        owners_.emplace(port, Owner{std::string(type), std::string(name), std::string(purpose)});
    }
    return {};
}

Result<void> PortRegistry::save() const {
    if (file_.empty()) return {};
    std::string text =
        std::string("# Ports reserved on 127.0.0.1 by warden workers: ") + kLineFormat + "\n";
    for (const auto &[port, owner] : owners_)
        text +=
            std::to_string(port) + ' ' + owner.type + '/' + owner.name + ' ' + owner.purpose + '\n';
    return replace_file_durably(file_, text, 0600);
}

bool port_bindable(uint32_t port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return false;
    const int on = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    const bool bound =
        ::bind(fd, reinterpret_cast<const sockaddr *>(&address), sizeof address) == 0;
    ::close(fd);
    return bound;
}

Result<uint32_t> PortRegistry::reserve(std::string_view type, std::string_view name,
                                       std::string_view purpose, uint32_t requested) {
    if (!valid_port_purpose(purpose))
        return fail_as(ErrorKind::invalid_argument, "port purpose '", printable(purpose, 40),
                       "' is not [a-z][a-z0-9_]{0,31}");
    if (requested > 65535)
        return fail_as(ErrorKind::invalid_argument, "port ", std::to_string(requested),
                       " is not from 1 to 65535");
    std::lock_guard<std::mutex> lock(mutex_);
    const auto it = ports_.find(KeyView{type, name, purpose});
    if (it != ports_.end() && (requested == 0 || requested == it->second)) return it->second;

    if (!valid_fsm_name(type) || !valid_service_name(name))
        return fail_as(ErrorKind::invalid_argument, "worker '",
                       printable(worker_label(type, name), 100),
                       "' cannot hold ports: not a "
                       "worker type and name");
    const std::string who = worker_label(type, name);
    uint32_t port = requested;
    if (requested != 0) {
        if (const auto held = owners_.find(requested); held != owners_.end()) {
            const Owner &owner = held->second;
            const std::string holder = worker_label(owner.type, owner.name);
            return fail_as(ErrorKind::conflict, port_conflict_text(requested, holder, owner.purpose,
                                                                   who, std::string(purpose)));
        }
    } else {
        for (uint32_t candidate = range_.first; candidate <= range_.last && port == 0; ++candidate)
            if (owners_.count(candidate) == 0 && port_bindable(candidate)) port = candidate;
        if (port == 0)
            return fail("no free port in ", std::to_string(range_.first), "..",
                        std::to_string(range_.last), " on 127.0.0.1 for ", who, " (",
                        std::string(purpose),
                        "): each one is reserved or in use; give it a port in its config");
    }

    std::optional<uint32_t> before;
    if (it != ports_.end()) {
        before = it->second;
        owners_.erase(it->second);
        it->second = port;
    } else {
        ports_.emplace(Key{type, name, purpose}, port);
    }
    owners_[port] = Owner{std::string(type), std::string(name), std::string(purpose)};
    if (Result<void> saved = save(); !saved) {
        owners_.erase(port);
        if (before) {
            ports_[Key{type, name, purpose}] = *before;
            owners_[*before] = Owner{std::string(type), std::string(name), std::string(purpose)};
        } else {
            ports_.erase(Key{type, name, purpose});
        }
        return Error{saved.error().message + "; port for " + who + " (" + std::string(purpose) +
                     ") not reserved"};
    }
    return port;
}

Result<std::vector<uint32_t>> PortRegistry::release_worker(std::string_view type,
                                                           std::string_view name) {
    std::lock_guard<std::mutex> lock(mutex_);
    std::vector<std::pair<Key, uint32_t>> dropped;
    auto it = ports_.lower_bound(KeyView{type, name, std::string_view()});
    while (it != ports_.end() && std::get<0>(it->first) == type && std::get<1>(it->first) == name) {
        dropped.emplace_back(it->first, it->second);
        owners_.erase(it->second);
        it = ports_.erase(it);
    }
    std::vector<uint32_t> released;
    if (dropped.empty()) return released;
    if (Result<void> saved = save(); !saved) {
        for (auto &[key, port] : dropped) {
            owners_[port] = Owner{std::get<0>(key), std::get<1>(key), std::get<2>(key)};
            ports_.emplace(std::move(key), port);
        }
        return Error{saved.error().message + "; the ports of " + worker_label(type, name) +
                     " stay reserved"};
    }
    for (const auto &entry : dropped) released.push_back(entry.second);
    return released;
}

std::vector<PortReservation> PortRegistry::reservations() const {
    std::lock_guard<std::mutex> lock(mutex_);
    std::vector<PortReservation> all;
    for (const auto &[port, owner] : owners_)
        all.push_back(PortReservation{port, owner.type, owner.name, owner.purpose});
    return all;
}

bool PortRegistry::holds(std::string_view type, std::string_view name, uint32_t port) const {
    std::lock_guard<std::mutex> lock(mutex_);
    const auto it = owners_.find(port);
    return it != owners_.end() && it->second.type == type && it->second.name == name;
}

}  // namespace warden::host
