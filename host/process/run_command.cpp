// SPDX-License-Identifier: Apache-2.0
// host/process/run_command.cpp
#include "process/run_command.hpp"

#include "common/clock.hpp"
#include "common/unique_fd.hpp"
#include "s6/file_ops.hpp"
#include "s6/service_spec.hpp"

#include <warden/validation.hpp>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <set>

extern char **environ;

namespace warden::host {
namespace {

constexpr int64_t kPollNs = 20'000'000;

// The command's directory, removed however the run ends.
class WorkDir {
public:
    explicit WorkDir(std::string path) : path_(std::move(path)) {}
    ~WorkDir() {
        if (Result<void> removed = remove_tree(path_); !removed)
            spdlog::warn("{}; left behind", removed.error().message);
    }
    WorkDir(const WorkDir &) = delete;
    WorkDir &operator=(const WorkDir &) = delete;
    const std::string &path() const { return path_; }

private:
    std::string path_;
};

// posix_spawn's attribute and file action objects, destroyed with it.
struct SpawnSetup {
    SpawnSetup() {
        posix_spawnattr_init(&attr);
        posix_spawn_file_actions_init(&actions);
    }
    ~SpawnSetup() {
        posix_spawnattr_destroy(&attr);
        posix_spawn_file_actions_destroy(&actions);
    }
    SpawnSetup(const SpawnSetup &) = delete;
    SpawnSetup &operator=(const SpawnSetup &) = delete;
    posix_spawnattr_t attr;
    posix_spawn_file_actions_t actions;
};

Error bad(const std::string &what) {
    return fail_as(ErrorKind::invalid_argument, "command: ", what);
}

Result<void> write_files(const std::string &dir, const std::vector<CommandFile> &files) {
    for (const CommandFile &file : files) {
        const std::filesystem::path path = std::filesystem::path(dir) / file.path;
        if (Result<void> made = make_directories(path.parent_path(), 0700); !made) return made;
        if (Result<void> written = write_new_file(path, file.content, file.mode); !written)
            return written;
    }
    return {};
}

// Whether `pid` has ended, without reaping it: its process group stays
// there to be killed.
bool has_exited(pid_t pid) {
    siginfo_t info{};
    return ::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0 &&
           info.si_pid == pid;
}

// Reads what is in the pipe now; false at end of file.
bool read_available(int fd, CommandOutcome &outcome) {
    char buffer[16384];
    for (;;) {
        const ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n > 0) {
            const auto got = static_cast<std::size_t>(n);
            const std::size_t room = kCommandMaxOutputBytes - outcome.output.size();
            outcome.output.append(buffer, std::min(room, got));
            outcome.output_bytes += got;
            continue;
        }
        if (n < 0 && errno == EINTR) continue;
        return n != 0;  // EAGAIN: open, nothing more now; other errors end it like EOF
    }
}

}  // namespace

std::string command_temp_root() {
    const char *tmpdir = std::getenv("TMPDIR");
    return tmpdir != nullptr && tmpdir[0] == '/' ? tmpdir : "/tmp";
}

Result<void> check_command(const Command &command) {
    if (command.argv.empty() || command.argv[0].empty() || command.argv[0][0] != '/')
        return bad("argv[0] must be an absolute path to the program");
    for (std::size_t i = 0; i < command.argv.size(); ++i)
        if (command.argv[i].find('\0') != std::string::npos)
            return bad("argv[" + std::to_string(i) + "] contains a NUL byte");
    std::set<std::string> paths;
    for (const CommandFile &file : command.files) {
        if (!valid_data_path(file.path))
            return bad("file path '" + printable(file.path, 80) +
                       "' must be relative, without '..', '.' or empty parts or control "
                       "characters");
        if (file.mode > 0777)
            return bad("file '" + printable(file.path, 80) + "' has mode " +
                       std::to_string(file.mode) + "; permission bits only");
        if (!paths.insert(file.path).second)
            return bad("file '" + printable(file.path, 80) + "' is given twice");
    }
    return {};
}

Result<CommandOutcome> run_command(const Command &command) {
    if (Result<void> valid = check_command(command); !valid) return valid.error();
    CommandOutcome outcome;
    outcome.timeout = command.timeout.count() <= 0 ? kCommandDefaultTimeout
                                                   : std::min(command.timeout, kCommandMaxTimeout);
    const std::string &program = command.argv[0];
    const int64_t started = monotonic_ns();
    const int64_t own_deadline =
        started + std::chrono::duration_cast<std::chrono::nanoseconds>(outcome.timeout).count();
    const int64_t deadline = std::min(own_deadline, command.deadline_ns);

    std::string pattern = command_temp_root() + "/warden-command-XXXXXX";
    if (::mkdtemp(pattern.data()) == nullptr)
        return fail("command ", printable(program, 200), ": cannot make its directory in ",
                    command_temp_root(), ": ", std::strerror(errno));
    const WorkDir dir(pattern);
    if (Result<void> written = write_files(dir.path(), command.files); !written)
        return fail("command ", printable(program, 200), ": ", written.error().message);

    int pipe_fds[2];
    if (::pipe2(pipe_fds, O_CLOEXEC) != 0)
        return fail("command ", printable(program, 200),
                    ": cannot make a pipe: ", std::strerror(errno));
    UniqueFd out{pipe_fds[0]};
    UniqueFd out_write{pipe_fds[1]};

    SpawnSetup setup;
    posix_spawn_file_actions_addopen(&setup.actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&setup.actions, out_write.fd, 1);
    posix_spawn_file_actions_adddup2(&setup.actions, out_write.fd, 2);
    posix_spawn_file_actions_addchdir_np(&setup.actions, dir.path().c_str());
    posix_spawn_file_actions_addclosefrom_np(&setup.actions, 3);
    sigset_t none, all;
    sigemptyset(&none);
    sigfillset(&all);
    posix_spawnattr_setflags(
        &setup.attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    posix_spawnattr_setpgroup(&setup.attr, 0);
    posix_spawnattr_setsigmask(&setup.attr, &none);
    posix_spawnattr_setsigdefault(&setup.attr, &all);

    std::vector<char *> argv;
    for (const std::string &arg : command.argv) argv.push_back(const_cast<char *>(arg.c_str()));
    argv.push_back(nullptr);
    pid_t pid = -1;
    const int spawned =
        ::posix_spawn(&pid, program.c_str(), &setup.actions, &setup.attr, argv.data(), environ);
    out_write.reset();
    if (spawned != 0) {
        const bool missing = spawned == ENOENT || spawned == EACCES || spawned == ENOEXEC ||
                             spawned == ENOTDIR || spawned == ELOOP || spawned == EISDIR;
        return fail_as(missing ? ErrorKind::not_found : ErrorKind::failed, "command ",
                       printable(program, 200), ": cannot run it: ", std::strerror(spawned));
    }

    ::fcntl(out.fd, F_SETFL, O_NONBLOCK);
    for (;;) {
        if (has_exited(pid)) break;
        if (command.cancel_requested && command.cancel_requested()) {
            outcome.end = CommandEnd::cancelled;
            break;
        }
        const int64_t now = monotonic_ns();
        if (now >= deadline) {
            outcome.end = deadline < own_deadline ? CommandEnd::deadline : CommandEnd::timed_out;
            break;
        }
        const int wait_ms =
            static_cast<int>((std::min(kPollNs, deadline - now) + 999'999) / 1'000'000);
        pollfd fd{out.fd, POLLIN, 0};
        if (::poll(&fd, out.fd >= 0 ? 1 : 0, wait_ms) > 0 && fd.revents != 0 &&
            !read_available(out.fd, outcome))
            out.reset();  // its output closed; it may still run
    }
    // Whatever is left of its process group goes: all of it when it was
    // stopped, what it left running when it exited.
    ::kill(-pid, SIGKILL);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (out.fd >= 0) read_available(out.fd, outcome);  // what it wrote last
    if (WIFSIGNALED(status))
        outcome.signal = WTERMSIG(status);
    else
        outcome.exit_code = WEXITSTATUS(status);
    outcome.duration = std::chrono::milliseconds((monotonic_ns() - started) / 1'000'000);
    return outcome;
}

}  // namespace warden::host
