// SPDX-License-Identifier: Apache-2.0
// warden/testing/fake_worker.hpp — one worker, driven through its hooks on
// the SDK's fake host the way the supervisor drives it.
//
// FakeWorker makes a worker of a loaded worker type and calls its hooks:
// derive, collect, next, execute and check_config one at a time, or step()
// for a whole tick (derive, collect, next, then the transition or the
// action). Results carry the status and the error text the host would see;
// derive and collect must produce one JSON object, checked by the host's
// own rule (warden/host_rules.hpp), with the host's words. derive and
// check_config get contexts like the host's: valid for the call only, and
// without service operations.
//
// THREADING: one test thread. FakeWorker never runs hooks at the same time;
// what a worker shares between collect and execute is tested on the host.
// OWNERSHIP: the FakeHost must outlive its FakeWorkers.
#ifndef WARDEN_TESTING_FAKE_WORKER_HPP
#define WARDEN_TESTING_FAKE_WORKER_HPP

#include <warden/plugin.h>
#include <warden/host_rules.hpp>
#include <warden/testing/fake_host.hpp>
#include <warden/types.hpp>
#include <warden/validation.hpp>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <utility>

namespace warden::testing {

/// What one hook call produced.
struct HookResult {
    warden_status status = WARDEN_OK;
    std::string error;   ///< why it failed: set_error text, or what the host refused
    std::string output;  ///< the JSON the hook wrote, for derive and collect
    bool ok() const { return status == WARDEN_OK && error.empty(); }
};

/// What one `next` produced.
struct NextResult {
    warden_status status = WARDEN_OK;
    std::string error;  ///< set_error text, or why the host refused the decision
    std::string state, action, reason;
    Signal signal = Signal::none;
    bool ok() const { return status == WARDEN_OK && error.empty(); }
};

/// One worker, driven through its hooks the way the supervisor drives it.
class FakeWorker {
public:
    FakeWorker(FakeHost &host, const warden_worker_type *type, std::string name,
               std::string config_json, DesiredState desired = DesiredState::running)
        : host_(host),
          type_(type),
          type_name_(view(type->name)),
          name_(std::move(name)),
          config_(std::move(config_json)),
          desired_state_(desired),
          state_(view(type->initial_state)) {
        ctx_ = host_.make_context(label(), type_name_, name_);
        identity_ = warden_struct_init<warden_identity>();
        identity_.type = str(type_name_);
        identity_.name = str(name_);
        identity_.created_at_ns = host_.wall_now_ns();
        state_since_ = host_.now_ns();
        const HookResult created =
            call([&] { return type_->create(fake_detail::handle(ctx_), &identity_, &worker_); });
        if (!created.ok())
            throw std::runtime_error("create failed (" +
                                     std::string(warden_status_name(created.status)) +
                                     "): " + created.error);
    }
    ~FakeWorker() {
        if (worker_ != nullptr) type_->destroy(worker_);
        host_.release_context(ctx_);
    }
    FakeWorker(const FakeWorker &) = delete;
    FakeWorker &operator=(const FakeWorker &) = delete;

    const std::string &state() const { return state_; }
    const std::string &desired_json() const { return desired_; }
    const std::string &observed_json() const { return observed_; }
    const std::string &last_action() const { return last_action_; }
    const HookResult &last_action_result() const { return last_action_result_; }

    void set_config(std::string config_json) { config_ = std::move(config_json); }
    void set_desired_state(DesiredState desired) { desired_state_ = desired; }
    /// Hands the hooks these observed-state bytes from now on instead of the
    /// last collect's (until the next collect): bytes from the host are
    /// input a plugin must check, whatever it wrote.
    void set_observed_json(std::string observed_json) { observed_ = std::move(observed_json); }
    void request_shutdown() { shutdown_requested_ = true; }
    /// Makes the cancel token handed to collect and execute report "cancel".
    void cancel_hooks(bool requested) { cancel_.requested = requested; }

    /// derive_desired_state, with a context that lives for this call only,
    /// as on the host.
    HookResult derive() {
        fake_detail::Context *once = host_.make_derive_context(type_name_, name_);
        fake_detail::JsonSink sink;
        HookResult r = call([&] {
            return type_->derive_desired_state(fake_detail::handle(once), &identity_, str(config_),
                                               reinterpret_cast<warden_json_sink *>(&sink));
        });
        host_.release_context(once);  // any later use through this context crashes the test
        json_object(r, "derive_desired_state", sink);
        if (r.ok()) {
            desired_ = r.output;
            derived_config_ = config_;
        }
        return r;
    }

    /// check_config, as `warden --check-config` calls it [WP-FSM-7]: derives
    /// first (unless the current config is derived already), then calls the
    /// type's hook with this worker's identity, the cancel token of
    /// cancel_hooks() and a check context (label "<type>/<name>") whose port
    /// reservations start from the fake's (they stand in for the other
    /// workers of the checked file: see hold_port()) and are not kept. OK
    /// when the type has no check_config.
    HookResult check_config() {
        if (desired_.empty() || derived_config_ != config_) {
            HookResult d = derive();
            if (!d.ok()) return d;
        }
        if (!WARDEN_HAS_FIELD(type_, warden_worker_type, check_config) ||
            type_->check_config == nullptr)
            return HookResult{};
        fake_detail::Context *once = host_.make_check_context(type_name_, name_);
        HookResult r = call([&] {
            return type_->check_config(fake_detail::handle(once), &identity_, str(desired_),
                                       reinterpret_cast<const warden_cancel *>(&cancel_));
        });
        host_.release_context(once);  // any later use through this context crashes the test
        return r;
    }

    HookResult collect() {
        fake_detail::JsonSink sink;
        const warden_snapshot snap = snapshot();
        HookResult r = call([&] {
            return type_->collect_observed_state(worker_, &snap,
                                                 reinterpret_cast<const warden_cancel *>(&cancel_),
                                                 reinterpret_cast<warden_json_sink *>(&sink));
        });
        json_object(r, "collect_observed_state", sink);
        if (r.ok()) {
            observed_ = r.output;
            observed_at_ = host_.now_ns();
        }
        return r;
    }

    NextResult next() {
        fake_detail::DecisionSink sink(type_);
        const warden_snapshot snap = snapshot();
        fake_detail::hook_error().clear();
        NextResult r;
        r.status = type_->next(worker_, &snap, reinterpret_cast<warden_decision_sink *>(&sink));
        if (sink.refused) {
            r.status = r.status == WARDEN_OK ? WARDEN_ERR_INVALID_ARGUMENT : r.status;
            r.error = sink.error;
        } else if (r.status != WARDEN_OK) {
            r.error = fake_detail::hook_error();
        }
        r.state = sink.state;
        r.action = sink.action;
        r.reason = sink.reason;
        r.signal = static_cast<Signal>(sink.signal);
        return r;
    }

    HookResult execute(const std::string &action) {
        const warden_snapshot snap = snapshot();
        HookResult r = call([&] {
            return type_->execute_action(worker_, str(action), &snap,
                                         reinterpret_cast<const warden_cancel *>(&cancel_));
        });
        last_action_ = action;
        last_action_result_ = r;
        last_action_finished_ = host_.now_ns();
        return r;
    }

    /// One supervisor tick: derive, collect, next, then move to the new state
    /// or run the action. Throws std::runtime_error when a hook fails.
    NextResult step() {
        const HookResult d = derive();
        if (!d.ok()) throw std::runtime_error("derive_desired_state failed: " + d.error);
        const HookResult c = collect();
        if (!c.ok()) throw std::runtime_error("collect_observed_state failed: " + c.error);
        NextResult n = next();
        if (!n.ok()) throw std::runtime_error("next failed: " + n.error);
        if (!n.state.empty() && n.state != state_) {
            state_ = n.state;
            state_since_ = host_.now_ns();
        }
        if (!n.action.empty()) execute(n.action);
        return n;
    }

    /// Steps at most `max_steps` times, the host's clock moving `step_ns`
    /// after each, until the worker is in `state` and stays there with no
    /// action: true when it settled so.
    bool settle(const std::string &state, int max_steps, int64_t step_ns) {
        for (int i = 0; i < max_steps; ++i) {
            const NextResult n = step();
            host_.advance(step_ns);
            if (state_ == state && n.state.empty() && n.action.empty()) return true;
        }
        return false;
    }

private:
    std::string label() const { return type_name_ + "/" + name_; }

    template <typename Call>
    HookResult call(Call &&hook) {
        fake_detail::hook_error().clear();
        HookResult r;
        r.status = hook();
        if (r.status != WARDEN_OK) r.error = fake_detail::hook_error();
        return r;
    }

    // The host accepts one JSON object from derive and collect, nothing else.
    static void json_object(HookResult &r, const char *hook, const fake_detail::JsonSink &sink) {
        if (!r.ok()) return;
        if (std::string problem = fake_detail::finish_document(hook, sink); !problem.empty()) {
            r.status = WARDEN_ERR;
            r.error = std::move(problem);
            return;
        }
        r.output = sink.text;
    }

    warden_snapshot snapshot() const {
        warden_snapshot s = WARDEN_INIT(warden_snapshot);
        s.identity = &identity_;
        s.state = str(state_);
        s.state_since_ns = state_since_;
        s.now_ns = host_.now_ns();
        s.desired_state = static_cast<int32_t>(desired_state_);
        s.flags = shutdown_requested_ ? WARDEN_SNAPSHOT_SHUTDOWN_REQUESTED : 0u;
        s.desired_json = str(desired_);
        s.observed_json = str(observed_);
        s.observed_at_ns = observed_at_;
        s.last_action = str(last_action_);
        s.last_action_status = last_action_result_.status;
        s.last_action_error = str(last_action_result_.error);
        s.last_action_finished_ns = last_action_finished_;
        return s;
    }

    FakeHost &host_;
    const warden_worker_type *type_;
    std::string type_name_;
    std::string name_;
    std::string config_;
    DesiredState desired_state_;
    bool shutdown_requested_ = false;
    fake_detail::Context *ctx_ = nullptr;
    fake_detail::CancelToken cancel_;
    warden_identity identity_{};
    warden_worker *worker_ = nullptr;
    std::string state_;
    int64_t state_since_ = 0;
    std::string desired_;
    std::string derived_config_;  // the config desired_ was derived from
    std::string observed_;
    int64_t observed_at_ = 0;
    std::string last_action_;
    HookResult last_action_result_;
    int64_t last_action_finished_ = 0;
};

}  // namespace warden::testing

#endif  // WARDEN_TESTING_FAKE_WORKER_HPP
