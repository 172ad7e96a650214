// SPDX-License-Identifier: Apache-2.0
// cxx_throws.cpp — a C++ plugin whose hooks throw, written with the wrapper.
// The wrapper must turn each exception into a status (and, for anything but
// warden::Error, an error log line) and never let one cross into the host.
#include <warden/plugin.hpp>

#include <stdexcept>

namespace {

struct Broken {
    static constexpr std::string_view name = "broken";
    static constexpr warden::Phase phase = warden::Phase::stopped;
    warden::Decision next(const warden::Snapshot &) const {
        throw std::logic_error("next exploded");
    }
};

struct Fail {
    static constexpr std::string_view name = "fail";
    void execute(class Thrower &, const warden::Snapshot &, const warden::Cancel &) const {
        throw warden::Error(WARDEN_ERR_NOT_FOUND, "no such thing as /dev/frobnicator");
    }
};

class Thrower : public warden::Worker {
public:
    static constexpr std::string_view type_name = "thrower";
    using States = warden::States<Broken>;
    using Actions = warden::Actions<Fail>;
    using InitialState = Broken;
    using Worker::Worker;

    static std::string derive_desired(const warden::Host &, const warden::Identity &,
                                      std::string_view) {
        throw std::runtime_error("derive exploded");
    }
    std::string collect(const warden::Snapshot &, const warden::Cancel &) { throw 42; }
};

struct ThrowsPlugin {
    static constexpr std::string_view name = "cxx-throws";
    static constexpr std::string_view version = "1.0.0";
    using WorkerTypes = warden::WorkerTypes<Thrower>;
};

}  // namespace

WARDEN_PLUGIN(ThrowsPlugin)
