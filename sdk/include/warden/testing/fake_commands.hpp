// warden/testing/fake_commands.hpp — the stand-in for the programs behind
// the fake host's command_run slot.
//
// No program runs: a handler the test sets answers each command, and every
// command that would have started is recorded (argv, files with their
// contents, timeout) for the test to read. The host's checks come first, in
// the host's words [WP-CMD-1]: argv[0] an absolute path; file paths relative
// without `..`, `.` or empty parts; modes of permission bits; no file twice.
// A cancel already requested stops the command before the handler is
// called. Without a handler a command cannot be run (WARDEN_ERR_NOT_FOUND). A handler may throw
// warden::Error to play a host failure (WARDEN_ERR_TIMEOUT, WARDEN_ERR_NOT_FOUND) with its text.
//
// THREADING: every method is thread-safe; the handler is called without a
// lock held, possibly from several threads at once.
#ifndef WARDEN_TESTING_FAKE_COMMANDS_HPP
#define WARDEN_TESTING_FAKE_COMMANDS_HPP

#include <warden/plugin.h>
#include <warden/host.hpp>
#include <warden/types.hpp>
#include <warden/validation.hpp>

#include <cstddef>
#include <exception>
#include <functional>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace warden::testing {

/// Whether `text` holds no control byte (below 0x20, or 0x7f).
inline bool without_control_bytes(std::string_view text) {
    for (const char c : text)
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return false;
    return true;
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

    static constexpr std::size_t kMaxOutputBytes = std::size_t{64} * 1024;

    void on_command(Handler handler) {
        std::lock_guard<std::mutex> lock(mutex_);
        handler_ = std::move(handler);
    }

    /// Every command that would have started, in order.
    std::vector<Command> commands() const {
        std::lock_guard<std::mutex> lock(mutex_);
        return commands_;
    }

    /// The C command as the host reads it; the caller checked its sizes and
    /// that no file entry is NULL.
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

    /// Checks `command` as the host does, then answers it from the handler.
    Outcome run(const Command &command, bool cancel_requested) {
        if (command.argv.empty() || command.argv[0].empty() || command.argv[0][0] != '/')
            return failed(WARDEN_ERR_INVALID_ARGUMENT,
                          "command: argv[0] must be an absolute path to the program");
        std::set<std::string> paths;
        for (const auto &file : command.files) {
            const std::string path = "'" + printable(file.path, 80) + "'";
            if (!relative_path(file.path))
                return failed(WARDEN_ERR_INVALID_ARGUMENT,
                              "command: file path " + path +
                                  " must be relative, without '..', '.' or empty parts or "
                                  "control characters");
            if (file.mode > 0777)
                return failed(WARDEN_ERR_INVALID_ARGUMENT, "command: file " + path + " has mode " +
                                                               std::to_string(file.mode) +
                                                               "; permission bits only");
            if (!paths.insert(file.path).second)
                return failed(WARDEN_ERR_INVALID_ARGUMENT,
                              "command: file " + path + " is given twice");
        }
        const std::string what = "command " + printable(command.argv[0], 200);
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

    static bool relative_path(std::string_view path) {
        if (path.empty() || path[0] == '/' || path.size() > 255 || !without_control_bytes(path))
            return false;
        for (std::size_t start = 0; start <= path.size();) {
            std::size_t end = path.find('/', start);
            if (end == std::string_view::npos) end = path.size();
            const std::string_view part = path.substr(start, end - start);
            if (part.empty() || part == "." || part == "..") return false;
            start = end + 1;
        }
        return true;
    }

    mutable std::mutex mutex_;
    Handler handler_;
    std::vector<Command> commands_;
};

}  // namespace warden::testing

#endif  // WARDEN_TESTING_FAKE_COMMANDS_HPP
