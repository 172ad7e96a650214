// SPDX-License-Identifier: Apache-2.0
// warden/worker.hpp — writing a worker type as C++ classes.
//
// A worker type is four kinds of class:
//
//   * a worker, derived from warden::Worker, one object per worker in the
//     config. It derives its desired state from the config (a static
//     function: it may run with no worker made) and collects its observed
//     state; it names its states, actions and initial state:
//
//       class ExecWorker : public warden::Worker {
//       public:
//           static constexpr std::string_view type_name = "exec";
//           static constexpr std::string_view description = "runs one command";
//           using States = warden::States<Stopped, Starting, Running>;
//           using Actions = warden::Actions<CreateService, RemoveService>;
//           using InitialState = Stopped;
//           using Worker::Worker;
//           static std::string derive_desired(const warden::Host &host,
//                                             const warden::Identity &identity,
//                                             std::string_view config_json);
//           std::string collect(const warden::Snapshot &s, const warden::Cancel &c);
//       };
//
//     It may also check a desired state the way deploying it would, with I/O
//     (ABI 1.2, optional) [WP-FSM-7]: run the program's own config check
//     with host.run_command, reserve its ports. `warden --check-config` calls
//     it with no worker made; the plugin should run the same check itself
//     before it deploys. A bad config throws warden::Error with
//     WARDEN_ERR_INVALID_ARGUMENT (or WARDEN_ERR_CONFLICT) saying why. A
//     worker class without it leaves the worker type's hook NULL.
//
//           static void check_config(const warden::Host &host,
//                                    const warden::Identity &identity,
//                                    std::string_view desired_json,
//                                    const warden::Cancel &cancel);
//
//   * states, each a class with a name, a phase and a pure `next`
//     (optionally a `description`):
//
//       struct Running {
//           static constexpr std::string_view name = "running";
//           static constexpr warden::Phase phase = warden::Phase::running_healthy;
//           warden::Decision next(const warden::Snapshot &s) const;
//       };
//
//   * actions, each a class with a name and an idempotent `execute`
//     (optionally a timeout and a `description`):
//
//       struct CreateService {
//           static constexpr std::string_view name = "create_service";
//           static constexpr uint32_t timeout_ms = 10'000;  // 0 = 30 s
//           void execute(ExecWorker &w, const warden::Snapshot &s,
//                        const warden::Cancel &c) const;
//       };
//
//   * a plugin class listing the worker types (see warden/plugin.hpp).
//
// OPTIONAL MEMBERS are left out, or declared public in the form shown:
// `description` a `static constexpr std::string_view` (worker, state
// and action classes), `timeout_ms` a `static constexpr uint32_t`,
// `check_config` the static function above. A member of one of these names
// in another form (a `const char *` description, an `int` timeout_ms, a
// check_config that is not static or returns a value) does not compile, and
// a static_assert says what is expected: a misdeclared member is refused,
// never silently left unread or uncalled.
//
// THREADING: as in the C ABI [WP-THR-*]: for one worker, collect never
// overlaps collect, execute never overlaps execute, and next (pure) may run
// while either runs. A worker's own members touched by collect and execute
// need a lock; next must not touch them.
#ifndef WARDEN_WORKER_HPP
#define WARDEN_WORKER_HPP

#include <warden/host.hpp>
#include <warden/snapshot.hpp>
#include <warden/types.hpp>

#include <string>
#include <string_view>
#include <utility>

namespace warden {

/// What a state's `next` returns: a state XOR an action, or neither (stay),
/// with a reason and a signal. Made with transition<>, action<> and stay().
class Decision {
public:
    std::string_view state() const noexcept { return state_; }
    std::string_view action() const noexcept { return action_; }
    const std::string &reason() const noexcept { return reason_; }
    Signal signal() const noexcept { return signal_; }

    /// The same decision, also asking the supervisor for `signal`.
    Decision with(Signal signal) && {
        signal_ = signal;
        return std::move(*this);
    }

    template <typename State>
    friend Decision transition(std::string reason);
    template <typename Action>
    friend Decision action(std::string reason);
    friend Decision stay(std::string reason);

private:
    Decision(std::string_view state, std::string_view action, std::string reason)
        : state_(state), action_(action), reason_(std::move(reason)) {}

    std::string_view state_;   // a State::name: static storage
    std::string_view action_;  // an Action::name: static storage
    std::string reason_;
    Signal signal_ = Signal::none;
};

/// Move to `State`.
template <typename State>
Decision transition(std::string reason) {
    return Decision(State::name, {}, std::move(reason));
}

/// Run `Action`; the host runs it later on the worker's executor.
template <typename Action>
Decision action(std::string reason) {
    return Decision({}, Action::name, std::move(reason));
}

/// Stay in the current state; `reason` says what the worker waits for.
inline Decision stay(std::string reason = {}) {
    return Decision({}, {}, std::move(reason));
}

/// What a worker is given when it is made.
struct WorkerContext {
    Host host;
    Identity identity;
};

/// Base of every worker: keeps the host and the worker's identity.
class Worker {
public:
    explicit Worker(const WorkerContext &context)
        : host_(context.host), type_(context.identity.type()), name_(context.identity.name()) {}

    Worker(const Worker &) = delete;
    Worker &operator=(const Worker &) = delete;

    /// The host services, with this worker's context.
    const Host &host() const noexcept { return host_; }
    const std::string &type() const noexcept { return type_; }
    const std::string &name() const noexcept { return name_; }

    /// "<type>-<name>" or "<type>-<name>-<suffix>": a service name in scope.
    std::string service_name(std::string_view suffix = {}) const {
        std::string out = type_ + "-" + name_;
        if (!suffix.empty()) out.append("-").append(suffix);
        return out;
    }

protected:
    ~Worker() = default;

private:
    Host host_;
    std::string type_;
    std::string name_;
};

namespace detail {

/// The worker whose `next` runs on this thread, set by the wrapper for the
/// length of the call; null anywhere else. For the worker kit: a decision
/// reuses what that worker's own collect parsed or wrote (kit::View).
/// THREADING: per thread; `next` never overlaps another next of its worker.
template <typename W>
inline thread_local W *deciding_worker = nullptr;

/// Sets deciding_worker<W> for its own lifetime.
template <typename W>
class Deciding {
public:
    explicit Deciding(W *worker) noexcept : previous_(deciding_worker<W>) {
        deciding_worker<W> = worker;
    }
    ~Deciding() { deciding_worker<W> = previous_; }
    Deciding(const Deciding &) = delete;
    Deciding &operator=(const Deciding &) = delete;

private:
    W *previous_;
};

}  // namespace detail

/// The states of a worker type.
template <typename... StateTypes>
struct States {};

/// The actions of a worker type (may be empty).
template <typename... ActionTypes>
struct Actions {};

/// The worker types of a plugin.
template <typename... WorkerClasses>
struct WorkerTypes {};

}  // namespace warden

#endif  // WARDEN_WORKER_HPP
