// SPDX-License-Identifier: Apache-2.0
// warden/kit/fingerprint.hpp — a short hash of what a worker deploys.
//
// A worker remembers the fingerprint of what it last handed to s6, and its
// states compare it with the fingerprint of what the config asks for now:
// two short strings tell "the config changed" without keeping either copy.
// The hash is 64-bit FNV-1a over every field, each prefixed by its length,
// so ("ab", "c") and ("a", "bc") differ. It detects change; it is not a
// defence against anyone choosing bytes to collide.
//
//     warden::kit::Fingerprint f;
//     f.add(spec);                  // every field of a ServiceSpec
//     f.add(rendered_config_file);  // or any bytes
//     std::string text = f.hex();   // "9f86d081884c7d65"
//
// THREADING: a plain value; one thread at a time.
#ifndef WARDEN_KIT_FINGERPRINT_HPP
#define WARDEN_KIT_FINGERPRINT_HPP

#include <warden/host.hpp>

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

namespace warden::kit {

class Fingerprint {
public:
    /// Adds `bytes`, prefixed by their length.
    Fingerprint &add(std::string_view bytes) {
        add(static_cast<uint64_t>(bytes.size()));
        for (const char c : bytes) mix(static_cast<unsigned char>(c));
        return *this;
    }
    Fingerprint &add(const char *text) { return add(std::string_view(text)); }
    Fingerprint &add(const std::string &text) { return add(std::string_view(text)); }

    /// Adds a number, as its eight bytes.
    Fingerprint &add(uint64_t value) {
        for (int i = 0; i < 8; ++i) mix(static_cast<unsigned char>(value >> (8 * i)));
        return *this;
    }

    /// Adds every field of `spec` that reaches s6: what would change the
    /// service if it changed.
    Fingerprint &add(const ServiceSpec &spec) {
        add(spec.name).add(uint64_t{spec.argv.size()});
        for (const auto &arg : spec.argv) add(arg);
        add(uint64_t{spec.env.size()});
        for (const auto &setting : spec.env) add(setting);
        add(spec.working_dir).add(uint64_t{spec.files.size()});
        for (const auto &file : spec.files)
            add(file.path).add(file.content).add(uint64_t{file.mode});
        add(static_cast<uint64_t>(spec.notification_fd))
            .add(static_cast<uint64_t>(spec.down_signal))
            .add(uint64_t{spec.kill_timeout_ms})
            .add(uint64_t{spec.start_down})
            .add(uint64_t{spec.log_max_files})
            .add(spec.log_max_file_bytes);
        // ABI 1.4: only when set, so a spec without them keeps its fingerprint.
        if (!spec.user.empty() || !spec.group.empty()) add(spec.user).add(spec.group);
        return *this;
    }

    /// The hash as 16 lower-case hex digits.
    std::string hex() const {
        char text[17];
        std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(hash_));
        return text;
    }

private:
    void mix(unsigned char byte) {
        hash_ ^= byte;
        hash_ *= 0x100000001b3ull;
    }

    uint64_t hash_ = 0xcbf29ce484222325ull;
};

/// The fingerprint of `bytes` alone.
inline std::string fingerprint(std::string_view bytes) {
    return Fingerprint().add(bytes).hex();
}

}  // namespace warden::kit

#endif  // WARDEN_KIT_FINGERPRINT_HPP
