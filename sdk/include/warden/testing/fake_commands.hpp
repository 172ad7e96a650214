// SPDX-License-Identifier: Apache-2.0
// warden/testing/fake_commands.hpp — the stand-in for the programs behind
// the fake host's command_run slot, and the slot.
//
// No program runs: a handler the test sets answers each command, and every
// command that would have started is recorded (argv, files with their
// contents, timeout as the plugin gave it) for the test to read. The slot
// applies the host's rules first, in its words (warden/host_rules.hpp): the
// struct, argv[0] an absolute path, no NUL in an argument, file paths
// relative without `..`, `.` or empty parts, modes of permission bits, no
// file twice. A cancel already requested stops the command before the
// handler is called. Without a handler a command cannot be run
// (WARDEN_ERR_NOT_FOUND). A handler may throw warden::Error to play a host
// failure (WARDEN_ERR_TIMEOUT, WARDEN_ERR_NOT_FOUND) with its text. Its
// output is cut at WARDEN_MAX_COMMAND_OUTPUT_BYTES, as the host cuts it.
//
// THREADING: every method is thread-safe; the handler is called without a
// lock held, possibly from several threads at once.
#ifndef WARDEN_TESTING_FAKE_COMMANDS_HPP
#define WARDEN_TESTING_FAKE_COMMANDS_HPP

#include <warden/plugin.h>
#include <warden/host.hpp>
#include <warden/host_rules.hpp>
#include <warden/testing/fake_context.hpp>
#include <warden/testing/fake_sinks.hpp>
#include <warden/types.hpp>
#include <warden/validation.hpp>

#include <cstddef>
#include <exception>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace warden::testing {

/// Whether `text` holds no control byte (below 0x20, or 0x7f).
inline bool without_control_bytes(std::string_view text) {
    return rules::rules_detail::without_control_bytes(text);
}

class FakeCommands {
public:
    using Handler = std::function<CommandResult(const Command &)>;

    /// What the host would hand back for one command.
    struct Outcome {
        warden_status status = WARDEN_OK;
        CommandResult result;
        std::string error;
    };

    static constexpr std::size_t kMaxOutputBytes = WARDEN_MAX_COMMAND_OUTPUT_BYTES;

    void on_command(Handler handler) {
        std::lock_guard<std::mutex> lock(mutex_);
        handler_ = std::move(handler);
    }

    /// Every command that would have started, in order.
    std::vector<Command> commands() const {
        std::lock_guard<std::mutex> lock(mutex_);
        return commands_;
    }

    /// The C command as the host reads it; it passed rules::command_problem.
    static Command copy(const warden_command &c) {
        Command command;
        for (std::size_t i = 0; c.argv != nullptr && i < c.argc; ++i)
            command.argv.emplace_back(view(c.argv[i]));
        for (std::size_t i = 0; c.files != nullptr && i < c.file_count; ++i)
            command.files.push_back(ServiceFile{std::string(view(c.files[i]->path)),
                                                std::string(view(c.files[i]->content)),
                                                c.files[i]->mode});
        command.timeout_ms = c.timeout_ms;
        return command;
    }

    /// Answers `command`, which passed the host's rules, from the handler.
    Outcome run(const Command &command, bool cancel_requested) {
        const std::string what = "command " + printable(command.argv.at(0), 200);
        if (cancel_requested)
            return failed(WARDEN_ERR_CANCELLED,
                          what + ": cancelled by the host, killed after 0 ms");
        Handler handler;
        {
            std::lock_guard<std::mutex> lock(mutex_);
            commands_.push_back(command);
            handler = handler_;
        }
        if (!handler)
            return failed(WARDEN_ERR_NOT_FOUND,
                          what + ": cannot run it: no command handler in this fake host");
        Outcome out;
        try {
            out.result = handler(command);
        } catch (const Error &e) {
            return failed(e.status() == WARDEN_OK ? WARDEN_ERR : e.status(), e.what());
        } catch (const std::exception &e) {
            return failed(WARDEN_ERR, what + ": the test's command handler threw: " + e.what());
        }
        if (out.result.output.size() > kMaxOutputBytes) out.result.output.resize(kMaxOutputBytes);
        return out;
    }

private:
    static Outcome failed(warden_status status, std::string error) {
        Outcome out;
        out.status = status;
        out.error = std::move(error);
        return out;
    }

    mutable std::mutex mutex_;
    Handler handler_;
    std::vector<Command> commands_;
};

namespace fake_detail {

inline warden_status command_run(warden_host_ctx *c, const warden_command *command,
                                 const warden_cancel *cancel, warden_command_result *result,
                                 warden_receive_fn on_output, void *user) {
    if (c == nullptr)
        return service_failed(WARDEN_ERR_INVALID_ARGUMENT, "command_run: NULL context");
    const Context &caller = *ctx(c);
    if (rules::Refusal bad = rules::command_problem(command)) return answer(std::move(bad));
    const Command copy = FakeCommands::copy(*command);
    FakeCommands::Outcome ran = caller.parts->commands->run(copy, cancel_requested(cancel));
    caller.parts->audit->record(caller.type, caller.name, "command", copy.argv[0], ran.status);
    if (ran.status != WARDEN_OK) return service_failed(ran.status, std::move(ran.error));
    if (result != nullptr && WARDEN_HAS_FIELD(result, warden_command_result, exit_code))
        result->exit_code = ran.result.exit_code;
    if (result != nullptr && WARDEN_HAS_FIELD(result, warden_command_result, signal))
        result->signal = ran.result.signal;
    if (on_output != nullptr && !ran.result.output.empty()) on_output(user, str(ran.result.output));
    service_error().clear();  // after the plugin's callback, which may call services itself
    return WARDEN_OK;
}

}  // namespace fake_detail
}  // namespace warden::testing

#endif  // WARDEN_TESTING_FAKE_COMMANDS_HPP
