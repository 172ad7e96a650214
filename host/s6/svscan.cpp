// SPDX-License-Identifier: Apache-2.0
// host/s6/svscan.cpp
#include "s6/svscan.hpp"

#include "s6/file_ops.hpp"
#include "s6/process_identity.hpp"
#include "s6/run_script.hpp"
#include "s6/service_layout.hpp"
#include "s6/service_name.hpp"
#include "s6/supervise.hpp"

#include <dirent.h>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sys/resource.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <vector>

namespace warden::host {
namespace {

// s6-svscan's own log: ten files of a megabyte, like a service's default.
constexpr const char *kLogFiles = "n10";
constexpr const char *kLogFileBytes = "s1000000";

std::filesystem::path control_dir(const std::filesystem::path &scan_dir) {
    return scan_dir / ".s6-svscan";
}

std::filesystem::path output_fifo(const std::filesystem::path &scan_dir) {
    return warden_state_dir(scan_dir) / "svscan-output";
}

// The end of s6-svscan's log, to quote when it failed to start.
std::string output_tail(const std::filesystem::path &log_dir) {
    auto content = read_file_if_exists(log_dir / "current");
    if (!content || !content.value()) return {};
    std::string text = std::move(*content.value());
    while (!text.empty() && text.back() == '\n') text.pop_back();
    const std::size_t line = text.rfind('\n');
    return line == std::string::npos ? text : text.substr(line + 1);
}

// What a detached child starts with: argv, its working directory, and the
// descriptors it gets as 0, 1, 2 and (optionally) 3.
struct Detached {
    std::vector<std::string> argv;
    std::filesystem::path cwd;
    int in = -1, out = -1, err = -1, notify = -1;
};

// Runs a program in a new session, detached from this process (double
// fork): it must outlive the host and never become its zombie. It starts
// with no signal blocked or ignored, whatever the host does with its own,
// and with only PATH in its environment: nothing of whoever started the
// host reaches s6-svscan or the services under it. Returns its pid.
Result<pid_t> spawn_detached(const Detached &what) {
    std::vector<const char *> argv;
    for (const std::string &word : what.argv) argv.push_back(word.c_str());
    argv.push_back(nullptr);
    const std::string path = std::string("PATH=") + kServicePath;
    const char *const env[] = {path.c_str(), nullptr};
    // The intermediate child tells the grandchild's pid through this pipe.
    int told[2];
    if (::pipe2(told, O_CLOEXEC) != 0) return file_error("cannot start", what.argv[0], errno);

    const pid_t child = ::fork();
    if (child < 0) {
        const int err = errno;
        ::close(told[0]);
        ::close(told[1]);
        return file_error("cannot fork to start", what.argv[0], err);
    }
    if (child == 0) {
        sigset_t none;
        sigemptyset(&none);
        ::sigprocmask(SIG_SETMASK, &none, nullptr);
        for (int sig = 1; sig < NSIG; ++sig)
            if (sig != SIGKILL && sig != SIGSTOP) ::signal(sig, SIG_DFL);
        ::setsid();
        if (const pid_t grandchild = ::fork(); grandchild != 0) {
            (void)!::write(told[1], &grandchild, sizeof grandchild);
            ::_exit(0);
        }
        if (::chdir(what.cwd.c_str()) != 0) ::_exit(127);
        // dup2 clears O_CLOEXEC on the copy; fds above 3 are close-on-exec.
        const int null = ::open("/dev/null", O_RDWR);
        ::dup2(what.in >= 0 ? what.in : null, 0);
        ::dup2(what.out >= 0 ? what.out : null, 1);
        ::dup2(what.err >= 0 ? what.err : null, 2);
        if (what.notify >= 0) ::dup2(what.notify, 3);
        ::execve(argv[0], const_cast<char *const *>(argv.data()), const_cast<char *const *>(env));
        // Only async-signal-safe calls here: the host may have threads.
        const char *parts[] = {"warden: cannot execute ", argv[0], ": ", ::strerrordesc_np(errno),
                               "\n"};
        for (const char *part : parts)
            if (part != nullptr) (void)!::write(2, part, std::strlen(part));
        ::_exit(127);
    }
    ::close(told[1]);
    int status = 0;
    while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
    }
    pid_t started = -1;
    ssize_t n;
    do {
        n = ::read(told[0], &started, sizeof started);
    } while (n < 0 && errno == EINTR);
    ::close(told[0]);
    if (n != static_cast<ssize_t>(sizeof started) || started <= 0)
        return fail("cannot start ", what.argv[0], ": fork failed");
    return started;
}

// Whether process `pid` writes its errors to `fifo`: an s6-svscan this
// host's kind started, not one a system's own supervisor runs.
bool writes_to(pid_t pid, const std::filesystem::path &fifo) {
    std::error_code ec;
    return std::filesystem::read_symlink("/proc/" + std::to_string(pid) + "/fd/2", ec) == fifo;
}

// The s6-log that reads s6-svscan's FIFO, unless one already runs on
// `log_dir` (it holds the directory's lock). It reads until every writer
// is gone: s6-svscan and the supervisors and loggers it started, which
// share its output. So it outlives a killed s6-svscan (its supervisors
// still write) and serves the next one, and ends with an s6-svscan that
// was stopped on purpose (taking them all down). The caller makes sure a
// writer holds the FIFO before the logger reads it. Returns its pid.
Result<pid_t> ensure_logger(const std::filesystem::path &fifo, const std::filesystem::path &log_dir,
                            const S6Paths &paths) {
    if (Result<void> made = make_directories(log_dir, 0750); !made) return made.error();
    if (const std::optional<pid_t> running = lock_holder(log_dir / "lock")) return *running;
    const int fd = ::open(fifo.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) return file_error("cannot open s6-svscan's output", fifo, errno);
    Result<pid_t> spawned = spawn_detached(
        Detached{{paths.s6_log().string(), "--", kLogFiles, kLogFileBytes, "T", log_dir.string()},
                 log_dir,
                 fd});
    ::close(fd);
    return spawned;
}

// Starts s6-svscan on `scan_dir` writing to the FIFO; returns the read end
// of its readiness pipe.
Result<int> start_svscan(const std::filesystem::path &scan_dir, const std::filesystem::path &fifo,
                         const S6Paths &paths) {
    int ready[2];
    if (::pipe2(ready, O_CLOEXEC) != 0)
        return file_error("cannot create a pipe for", scan_dir, errno);
    // Read and write, blocking: never SIGPIPE, never refused while the
    // logger starts.
    const int output = ::open(fifo.c_str(), O_RDWR | O_CLOEXEC);
    if (output < 0) {
        const int err = errno;
        ::close(ready[0]);
        ::close(ready[1]);
        return file_error("cannot open s6-svscan's output", fifo, err);
    }
    Result<pid_t> spawned = spawn_detached(
        Detached{{paths.svscan().string(), "-d", "3", "-c", kSvscanMaxServices, scan_dir.string()},
                 scan_dir,
                 -1,
                 output,
                 output,
                 ready[1]});
    ::close(ready[1]);
    ::close(output);
    if (!spawned) {
        ::close(ready[0]);
        return spawned.error();
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

uint64_t raise_open_files_limit() {
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return 0;
    if (limit.rlim_cur < limit.rlim_max) {
        const rlim_t before = limit.rlim_cur;
        limit.rlim_cur = limit.rlim_max;
        if (::setrlimit(RLIMIT_NOFILE, &limit) != 0) limit.rlim_cur = before;
    }
    return static_cast<uint64_t>(limit.rlim_cur);
}

std::optional<pid_t> svscan_pid(const std::filesystem::path &scan_dir) {
    return lock_holder(control_dir(scan_dir) / "lock");
}

Result<SvscanStart> ensure_svscan(const std::filesystem::path &scan_dir,
                                  const std::filesystem::path &log_dir, const S6Paths &paths,
                                  std::chrono::milliseconds ready_timeout) {
    if (Result<void> usable = check_scan_dir(scan_dir); !usable) return usable.error();
    const std::filesystem::path fifo = output_fifo(scan_dir);
    if (auto pid = svscan_pid(scan_dir)) {
        // One a host started writes to the FIFO: keep its logger alive.
        pid_t logger = 0;
        if (writes_to(*pid, fifo)) {
            Result<pid_t> running = ensure_logger(fifo, log_dir, paths);
            if (!running) return running.error();
            logger = running.value();
        }
        return SvscanStart{
            SvscanStart::How::already_running, *pid,
            "s6-svscan pid " + std::to_string(*pid) + " already watches " + scan_dir.string(),
            logger};
    }
    for (const std::filesystem::path &program : {paths.svscan(), paths.s6_log()})
        if (::access(program.c_str(), X_OK) != 0)
            return file_error("cannot start s6-svscan: cannot execute", program, errno);
    if (Result<void> made = make_directories(warden_state_dir(scan_dir), 0700); !made)
        return made.error();
    if (::mkfifo(fifo.c_str(), 0600) != 0 && errno != EEXIST)
        return file_error("cannot make s6-svscan's output FIFO", fifo, errno);
    if (!std::filesystem::is_fifo(fifo))
        return fail("cannot start s6-svscan: ", fifo.string(), " is not a FIFO");
    // A writer of our own until s6-svscan has its: the logger must not see
    // the end of its input before s6-svscan has started.
    const int writer = ::open(fifo.c_str(), O_RDWR | O_CLOEXEC);
    if (writer < 0) return file_error("cannot open s6-svscan's output", fifo, errno);
    Result<pid_t> logger = ensure_logger(fifo, log_dir, paths);
    Result<int> ready = logger ? start_svscan(scan_dir, fifo, paths) : logger.error();
    ::close(writer);
    if (!ready) return ready.error();
    const Readiness readiness = wait_ready(ready.value(), ready_timeout);
    ::close(ready.value());

    const std::optional<pid_t> holder = svscan_pid(scan_dir);
    if (holder && readiness != Readiness::exited)
        return SvscanStart{SvscanStart::How::started, *holder,
                           "s6-svscan pid " + std::to_string(*holder) + " started on " +
                               scan_dir.string() + ", its output in " + log_dir.string(),
                           logger.value()};
    if (holder)  // ours exited (100) on the lock another one took first
        return SvscanStart{SvscanStart::How::lost_race, *holder,
                           "another s6-svscan (pid " + std::to_string(*holder) + ") took " +
                               scan_dir.string() + " at the same time; using it",
                           lock_holder(log_dir / "lock").value_or(0)};
    const std::string tail = output_tail(log_dir);
    return fail("s6-svscan did not start on ", scan_dir.string(),
                readiness == Readiness::timed_out ? " within its readiness timeout" : "",
                tail.empty()
                    ? "; see " + (log_dir / "current").string()
                    : ": " + printable(tail) + " (from " + (log_dir / "current").string() + ")");
}

std::vector<std::string> hand_over_supervisors(const std::filesystem::path &scan_dir,
                                               pid_t svscan) {
    std::vector<std::string> handed;
    DIR *dir = ::opendir(scan_dir.c_str());
    if (dir == nullptr) return handed;
    std::vector<std::string> names;
    while (const dirent *entry = ::readdir(dir))
        if (valid_service_name(entry->d_name)) names.emplace_back(entry->d_name);
    ::closedir(dir);
    for (const std::string &name : names) {
        const std::filesystem::path service = scan_dir / name;
        if (!made_by_warden(service)) continue;
        bool orphaned = false;
        for (const std::filesystem::path &supervise :
             {service / "supervise", service / "log" / "supervise"}) {
            const std::optional<pid_t> holder = lock_holder(supervise / "lock");
            if (!holder || parent_of(*holder) == svscan) continue;
            (void)send_control(supervise / "control", "x", name);
            orphaned = true;
        }
        if (orphaned) handed.push_back(name);
    }
    std::sort(handed.begin(), handed.end());
    return handed;
}

Result<void> rescan(const std::filesystem::path &scan_dir, bool prune) {
    return send_control(control_dir(scan_dir) / "control", prune ? "an" : "a",
                        "scan dir " + scan_dir.string() + " (no s6-svscan runs on it)");
}

}  // namespace warden::host
