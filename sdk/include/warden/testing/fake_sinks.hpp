// SPDX-License-Identifier: Apache-2.0
// warden/testing/fake_sinks.hpp — the fake host's ABI 1.0 slots: logging,
// error texts, the clock, the JSON and decision sinks, and cancellation.
//
// FakeLog keeps every line a plugin logs (escaped and bounded as the host
// logs it); FakeClock is a clock the test moves. The sinks keep what a hook
// hands the host, checked by the host's own rules (warden/host_rules.hpp):
// the JSON document's bound and, when the hook returns, the one-JSON-object
// check (finish_document); the decision's check and the bound on its reason.
//
// THREADING: every slot may be called from any thread. The clock slots take
// no context: they read the most recently made FakeClock.
#ifndef WARDEN_TESTING_FAKE_SINKS_HPP
#define WARDEN_TESTING_FAKE_SINKS_HPP

#include <warden/plugin.h>
#include <warden/host_rules.hpp>
#include <warden/testing/fake_context.hpp>
#include <warden/types.hpp>
#include <warden/validation.hpp>

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace warden::testing {

struct LogLine {
    Level level;
    std::string context;  ///< "plugin <name>" or "<type>/<name>"
    std::string message;
};

/// The lines plugins log, at or above a level the test sets.
/// THREADING: thread-safe.
class FakeLog {
public:
    void set_level(Level level) { level_ = level; }
    Level level() const { return level_; }
    bool enabled(int32_t level) const { return level >= static_cast<int32_t>(level_.load()); }

    void write(int32_t level, std::string context, std::string message) {
        if (!enabled(level)) return;
        std::lock_guard<std::mutex> lock(mutex_);
        lines_.push_back(
            LogLine{static_cast<Level>(level), std::move(context), std::move(message)});
    }
    std::vector<LogLine> lines() const {
        std::lock_guard<std::mutex> lock(mutex_);
        return lines_;
    }

private:
    std::atomic<Level> level_{Level::trace};
    mutable std::mutex mutex_;
    std::vector<LogLine> lines_;
};

/// A monotonic and a wall clock that move only when the test says so.
/// THREADING: thread-safe.
class FakeClock {
public:
    FakeClock() { current() = this; }
    ~FakeClock() {
        if (current() == this) current() = nullptr;
    }
    FakeClock(const FakeClock &) = delete;
    FakeClock &operator=(const FakeClock &) = delete;

    int64_t monotonic_ns() const { return monotonic_.load(); }
    int64_t wall_ns() const { return wall_.load(); }
    void advance(int64_t ns) {
        monotonic_ += ns;
        wall_ += ns;
    }

    /// The clock the context-free clock slots read.
    static FakeClock *&current() {
        static FakeClock *clock = nullptr;
        return clock;
    }

private:
    std::atomic<int64_t> monotonic_{1'000'000'000};
    std::atomic<int64_t> wall_{1'767'225'600'000'000'000};  // 2026-01-01T00:00:00Z
};

namespace fake_detail {

/// What a fake warden_json_sink points to.
struct JsonSink {
    std::string text;
};

/// What a fake warden_decision_sink points to.
struct DecisionSink {
    explicit DecisionSink(const warden_worker_type *worker_type) : type(worker_type) {}
    const warden_worker_type *type;
    bool submitted = false;
    bool refused = false;
    std::string state, action, reason, error;
    int32_t signal = WARDEN_SIGNAL_NONE;
};

/// What a fake warden_cancel points to.
struct CancelToken {
    bool requested = false;
    int64_t deadline_ns = INT64_MAX;
};

/// The document `hook` wrote into `sink`, as the host takes it when the hook
/// returns: empty when it is one JSON object, else why not, in the host's
/// words.
inline std::string finish_document(std::string_view hook, const JsonSink &sink) {
    return rules::document_problem(hook, sink.text);
}

inline bool log_enabled(warden_host_ctx *c, int32_t level) {
    return ctx(c)->parts->log->enabled(level);
}

inline void log_write(warden_host_ctx *c, int32_t level, warden_str message) {
    const Context &caller = *ctx(c);
    caller.parts->log->write(level, caller.label, rules::log_text(rules::text_of(message)));
}

inline void set_error(warden_host_ctx *, warden_str message) {
    hook_error() = rules::error_text(rules::text_of(message));
}

// The callback gets a copy: it may call host services, which change the text.
inline void last_service_error(warden_host_ctx *, warden_receive_fn on_text, void *user) {
    if (on_text == nullptr) return;
    const std::string text = service_error();
    on_text(user, warden_str{text.data(), text.size()});
}

inline int64_t monotonic_ns() {
    return FakeClock::current() ? FakeClock::current()->monotonic_ns() : 0;
}
inline int64_t wall_ns() {
    return FakeClock::current() ? FakeClock::current()->wall_ns() : 0;
}

inline warden_status json_sink_write(warden_json_sink *sink, warden_str text) {
    auto *json = reinterpret_cast<JsonSink *>(sink);
    return answer(rules::append_json(json == nullptr ? nullptr : &json->text, text));
}

// A refused decision stays refused: the sink keeps the first error [WP-FSM-3].
inline warden_status decision_submit(warden_decision_sink *s, const warden_decision *d) {
    auto *sink = reinterpret_cast<DecisionSink *>(s);
    if (sink == nullptr || d == nullptr)
        return service_failed(WARDEN_ERR_INVALID_ARGUMENT,
                              "decision_submit: NULL sink or decision");
    std::string problem = decision_problem(*sink->type, *d, sink->submitted);
    sink->submitted = true;
    if (!problem.empty()) {
        sink->refused = true;
        if (sink->error.empty()) sink->error = problem;
        return service_failed(WARDEN_ERR_INVALID_ARGUMENT, std::move(problem));
    }
    sink->state = rules::text_of(d->state);
    sink->action = rules::text_of(d->action);
    sink->reason = rules::reason_text(rules::text_of(d->reason));
    sink->signal = d->signal;
    service_error().clear();
    return WARDEN_OK;
}

inline bool cancel_requested(const warden_cancel *c) {
    return c != nullptr && reinterpret_cast<const CancelToken *>(c)->requested;
}
inline int64_t cancel_deadline_ns(const warden_cancel *c) {
    return c == nullptr ? INT64_MAX : reinterpret_cast<const CancelToken *>(c)->deadline_ns;
}

}  // namespace fake_detail
}  // namespace warden::testing

#endif  // WARDEN_TESTING_FAKE_SINKS_HPP
