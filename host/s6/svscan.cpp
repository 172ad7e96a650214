// host/s6/svscan.cpp
#include "s6/svscan.hpp"

#include "s6/file_ops.hpp"
#include "s6/supervise.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

namespace warden::host {
namespace {

// s6-svscan keeps up to this many service directories (each logged service
// counts its logger too); its default of 500 is too few for a busy host.
constexpr const char *kMaxServices = "8192";

std::filesystem::path control_dir(const std::filesystem::path &scan_dir) {
    return scan_dir / ".s6-svscan";
}

// The end of s6-svscan's output, to quote when it failed to start.
std::string output_tail(const std::filesystem::path &file) {
    auto content = read_file_if_exists(file);
    if (!content || !content.value()) return {};
    std::string text = std::move(*content.value());
    while (!text.empty() && text.back() == '\n') text.pop_back();
    const std::size_t line = text.rfind('\n');
    return line == std::string::npos ? text : text.substr(line + 1);
}

// Runs s6-svscan in a new session, detached from this process (double fork):
// it must outlive the host and never become its zombie. Returns the read end
// of its readiness pipe.
Result<int> spawn_detached(const std::filesystem::path &scan_dir,
                           const std::filesystem::path &output_file, const S6Paths &paths) {
    int ready[2];
    if (::pipe2(ready, O_CLOEXEC) != 0)
        return file_error("cannot create a pipe for", scan_dir, errno);
    const int output = ::open(output_file.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
    if (output < 0) {
        const int err = errno;
        ::close(ready[0]);
        ::close(ready[1]);
        return file_error("cannot open s6-svscan's output file", output_file, err);
    }
    const std::string svscan = paths.svscan().string();
    const std::string dir = scan_dir.string();
    std::vector<const char *> argv = {"s6-svscan",  "-d",        "3",    "-c",
                                      kMaxServices, dir.c_str(), nullptr};

    const pid_t child = ::fork();
    if (child < 0) {
        const int err = errno;
        ::close(ready[0]);
        ::close(ready[1]);
        ::close(output);
        return file_error("cannot fork to start s6-svscan on", scan_dir, err);
    }
    if (child == 0) {
        // s6-svscan and every service under it start with no signal blocked
        // or ignored, whatever the host does with its own.
        sigset_t none;
        sigemptyset(&none);
        ::sigprocmask(SIG_SETMASK, &none, nullptr);
        for (int sig = 1; sig < NSIG; ++sig)
            if (sig != SIGKILL && sig != SIGSTOP) ::signal(sig, SIG_DFL);
        ::setsid();
        if (::fork() != 0) ::_exit(0);
        const int null = ::open("/dev/null", O_RDONLY);
        ::dup2(null, 0);
        ::dup2(output, 1);
        ::dup2(output, 2);
        ::dup2(ready[1], 3);  // dup2 clears O_CLOEXEC on the copy
        ::execv(svscan.c_str(), const_cast<char *const *>(argv.data()));
        const std::string message =
            "warden: cannot execute " + svscan + ": " + std::strerror(errno) + "\n";
        (void)!::write(2, message.data(), message.size());
        ::_exit(127);
    }
    ::close(ready[1]);
    ::close(output);
    int status = 0;
    while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
    }
    return ready[0];
}

enum class Readiness { ready, exited, timed_out };

// Waits for the newline s6-svscan writes when it is ready. End of file means
// it exited first.
Readiness wait_ready(int fd, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) return Readiness::timed_out;
        pollfd p{fd, POLLIN, 0};
        const int r = ::poll(&p, 1, static_cast<int>(left.count()));
        if (r < 0 && errno == EINTR) continue;
        if (r == 0) return Readiness::timed_out;
        char c;
        const ssize_t n = r < 0 ? -1 : ::read(fd, &c, 1);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return Readiness::exited;
        if (c == '\n') return Readiness::ready;
    }
}

}  // namespace

Result<void> check_scan_dir(const std::filesystem::path &scan_dir) {
    struct stat st {};
    if (::stat(scan_dir.c_str(), &st) != 0) {
        if (errno == ENOENT)
            return fail_as(ErrorKind::not_found, "scan dir ", scan_dir.string(), " does not exist");
        return file_error("cannot use scan dir", scan_dir, errno);
    }
    if (!S_ISDIR(st.st_mode)) return fail("scan dir ", scan_dir.string(), " is not a directory");
    if (::access(scan_dir.c_str(), W_OK | X_OK) != 0)
        return file_error("cannot write to scan dir", scan_dir, errno);
    return {};
}

std::optional<pid_t> svscan_pid(const std::filesystem::path &scan_dir) {
    return lock_holder(control_dir(scan_dir) / "lock");
}

Result<SvscanStart> ensure_svscan(const std::filesystem::path &scan_dir,
                                  const std::filesystem::path &output_file, const S6Paths &paths,
                                  std::chrono::milliseconds ready_timeout) {
    if (Result<void> usable = check_scan_dir(scan_dir); !usable) return usable.error();
    if (auto pid = svscan_pid(scan_dir))
        return SvscanStart{
            SvscanStart::How::already_running, *pid,
            "s6-svscan pid " + std::to_string(*pid) + " already watches " + scan_dir.string()};
    if (::access(paths.svscan().c_str(), X_OK) != 0)
        return file_error("cannot start s6-svscan: cannot execute", paths.svscan(), errno);

    Result<int> ready = spawn_detached(scan_dir, output_file, paths);
    if (!ready) return ready.error();
    const Readiness readiness = wait_ready(ready.value(), ready_timeout);
    ::close(ready.value());

    const std::optional<pid_t> holder = svscan_pid(scan_dir);
    if (holder && readiness != Readiness::exited)
        return SvscanStart{SvscanStart::How::started, *holder,
                           "s6-svscan pid " + std::to_string(*holder) + " started on " +
                               scan_dir.string() + ", its output in " + output_file.string()};
    if (holder)  // ours exited (100) on the lock another one took first
        return SvscanStart{SvscanStart::How::lost_race, *holder,
                           "another s6-svscan (pid " + std::to_string(*holder) + ") took " +
                               scan_dir.string() + " at the same time; using it"};
    const std::string tail = output_tail(output_file);
    return fail("s6-svscan did not start on ", scan_dir.string(),
                readiness == Readiness::timed_out ? " within its readiness timeout" : "",
                tail.empty() ? std::string("; see ") + output_file.string()
                             : ": " + tail + " (from " + output_file.string() + ")");
}

Result<void> rescan(const std::filesystem::path &scan_dir, bool prune) {
    return send_control(control_dir(scan_dir) / "control", prune ? "an" : "a",
                        "scan dir " + scan_dir.string() + " (no s6-svscan runs on it)");
}

}  // namespace warden::host
