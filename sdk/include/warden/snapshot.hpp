// SPDX-License-Identifier: Apache-2.0
// warden/snapshot.hpp — read-only views of what the host hands a worker.
//
// Identity, Snapshot and Cancel wrap host-owned structs and handles without
// copying: like them, they and every string_view they return are valid only
// during the hook call that received them. Copy what you keep.
// THREADING: read them from any thread while the hook runs; Cancel may turn
// to "requested" at any moment [WP-THR-4].
#ifndef WARDEN_SNAPSHOT_HPP
#define WARDEN_SNAPSHOT_HPP

#include <warden/types.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace warden {

/// Who a worker is: its type and its name from the config.
class Identity {
public:
    explicit Identity(const warden_identity *identity) noexcept : raw_(identity) {}

    std::string_view type() const noexcept { return view(raw_->type); }
    std::string_view name() const noexcept { return view(raw_->name); }
    int64_t created_at_ns() const noexcept { return raw_->created_at_ns; }

    /// The name of a service this worker may own [WP-SVC-1]: "<type>-<name>",
    /// or "<type>-<name>-<suffix>" when a suffix is given.
    std::string service_name(std::string_view suffix = {}) const {
        std::string out;
        out.reserve(type().size() + name().size() + suffix.size() + 2);
        out.append(type()).append("-").append(name());
        if (!suffix.empty()) out.append("-").append(suffix);
        return out;
    }

    const warden_identity *raw() const noexcept { return raw_; }

private:
    const warden_identity *raw_;
};

/// Everything a worker knows at one moment (see warden_snapshot).
class Snapshot {
public:
    explicit Snapshot(const warden_snapshot *snapshot) noexcept : raw_(snapshot) {}

    Identity identity() const noexcept { return Identity(raw_->identity); }

    /// The current state's name.
    std::string_view state() const noexcept { return view(raw_->state); }
    /// Monotonic time of this call.
    int64_t now_ns() const noexcept { return raw_->now_ns; }
    /// How long the worker has been in its current state.
    int64_t time_in_state_ns() const noexcept { return raw_->now_ns - raw_->state_since_ns; }

    DesiredState desired_state() const noexcept {
        return static_cast<DesiredState>(raw_->desired_state);
    }
    bool shutdown_requested() const noexcept {
        return (raw_->flags & WARDEN_SNAPSHOT_SHUTDOWN_REQUESTED) != 0;
    }
    /// The config asks for running and the host has not asked for shutdown.
    bool should_run() const noexcept {
        return desired_state() == DesiredState::running && !shutdown_requested();
    }

    /// The JSON object derive_desired_state produced.
    std::string_view desired_json() const noexcept { return view(raw_->desired_json); }

    bool has_observation() const noexcept { return raw_->observed_json.len != 0; }
    /// The JSON object collect produced last; empty before the first one.
    std::string_view observed_json() const noexcept { return view(raw_->observed_json); }
    int64_t observed_at_ns() const noexcept { return raw_->observed_at_ns; }

    /// The last finished action; empty when none has run.
    std::string_view last_action() const noexcept { return view(raw_->last_action); }
    warden_status last_action_status() const noexcept { return raw_->last_action_status; }
    std::string_view last_action_error() const noexcept { return view(raw_->last_action_error); }
    int64_t last_action_finished_ns() const noexcept { return raw_->last_action_finished_ns; }

    const warden_snapshot *raw() const noexcept { return raw_; }

private:
    const warden_snapshot *raw_;
};

/// The host's request that a running hook stop early. Like the token it
/// wraps, valid only during the hook call that received it.
class Cancel {
public:
    Cancel(const warden_host_services *services, const warden_cancel *cancel) noexcept
        : services_(services), cancel_(cancel) {}

    bool requested() const noexcept {
        return cancel_ != nullptr && services_->cancel_requested(cancel_);
    }
    /// Monotonic ns by which the hook should return; INT64_MAX = none.
    int64_t deadline_ns() const noexcept {
        return cancel_ == nullptr ? INT64_MAX : services_->cancel_deadline_ns(cancel_);
    }
    /// Throws Error(WARDEN_ERR_CANCELLED) when the host asked to stop.
    void throw_if_requested(std::string_view what) const {
        if (requested())
            throw Error(WARDEN_ERR_CANCELLED, std::string(what) + ": cancelled by the host");
    }

    /// The host's token, to hand back to a host service (NULL = none).
    const warden_cancel *handle() const noexcept { return cancel_; }

private:
    const warden_host_services *services_;
    const warden_cancel *cancel_;
};

}  // namespace warden

#endif  // WARDEN_SNAPSHOT_HPP
