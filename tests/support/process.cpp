// SPDX-License-Identifier: Apache-2.0
// tests/support/process.cpp
#include "process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <system_error>

extern char **environ;

namespace warden::test {
namespace {

class Pipe {
public:
    Pipe() {
        if (::pipe2(fds_, O_CLOEXEC) != 0)
            throw std::system_error(errno, std::generic_category(), "pipe2");
    }
    ~Pipe() {
        close_read();
        close_write();
    }
    int read_end() const { return fds_[0]; }
    int write_end() const { return fds_[1]; }
    void close_read() { close_fd(fds_[0]); }
    void close_write() { close_fd(fds_[1]); }

private:
    static void close_fd(int &fd) {
        if (fd >= 0) ::close(fd);
        fd = -1;
    }
    int fds_[2] = {-1, -1};
};

// Kills and reaps the child's process group unless it was reaped normally.
class ChildGuard {
public:
    explicit ChildGuard(pid_t pid) : pid_(pid) {}
    ~ChildGuard() {
        if (pid_ > 0) {
            ::kill(-pid_, SIGKILL);
            int status = 0;
            ::waitpid(pid_, &status, 0);
        }
    }
    void reaped() { pid_ = -1; }

private:
    pid_t pid_;
};

std::string read_whole(const std::filesystem::path &file) {
    const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return "";
    std::string text;
    char buffer[65536];
    ssize_t n;
    while ((n = ::read(fd, buffer, sizeof buffer)) > 0) text.append(buffer, static_cast<size_t>(n));
    ::close(fd);
    return text;
}

}  // namespace

std::string ProcessResult::describe() const {
    std::string text;
    if (timed_out)
        text = "timed out (killed)";
    else if (term_signal != 0)
        text = "killed by signal " + std::to_string(term_signal);
    else
        text = "exited with code " + std::to_string(exit_code);
    return text + "\n--- stdout ---\n" + out + "--- stderr ---\n" + err;
}

ProcessResult run_process(const std::vector<std::string> &argv, const ProcessOptions &options) {
    if (argv.empty()) throw std::invalid_argument("run_process: empty argv");
    std::vector<char *> args;
    for (const auto &a : argv) args.push_back(const_cast<char *>(a.c_str()));
    args.push_back(nullptr);
    std::vector<std::string> env_strings;
    for (char **e = environ; *e != nullptr; ++e) env_strings.emplace_back(*e);
    env_strings.insert(env_strings.end(), options.extra_env.begin(), options.extra_env.end());
    std::vector<char *> env;
    for (auto &e : env_strings) env.push_back(e.data());
    env.push_back(nullptr);

    Pipe out, err;
    const pid_t pid = ::fork();
    if (pid < 0) throw std::system_error(errno, std::generic_category(), "fork");
    if (pid == 0) {
        ::setpgid(0, 0);
        ::dup2(out.write_end(), STDOUT_FILENO);
        ::dup2(err.write_end(), STDERR_FILENO);
        const int devnull = ::open("/dev/null", O_RDONLY);
        if (devnull >= 0) ::dup2(devnull, STDIN_FILENO);
        if (!options.cwd.empty() && ::chdir(options.cwd.c_str()) != 0) ::_exit(126);
        ::execvpe(args[0], args.data(), env.data());
        const std::string message = "exec " + argv[0] + ": " + std::strerror(errno) + "\n";
        (void)!::write(STDERR_FILENO, message.data(), message.size());
        ::_exit(127);
    }
    ::setpgid(pid, pid);
    ChildGuard guard(pid);
    out.close_write();
    err.close_write();

    // Wait for both pipes to close and the child to exit (its pidfd becomes
    // readable), whichever order they come in, until the deadline.
    const int pidfd = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
    if (pidfd < 0) throw std::system_error(errno, std::generic_category(), "pidfd_open");
    ProcessResult result;
    const auto deadline = std::chrono::steady_clock::now() + options.timeout;
    pollfd fds[3] = {{out.read_end(), POLLIN, 0}, {err.read_end(), POLLIN, 0}, {pidfd, POLLIN, 0}};
    std::string *sinks[2] = {&result.out, &result.err};
    int open_fds = 3;
    while (open_fds > 0) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) {
            result.timed_out = true;
            break;
        }
        const int ready = ::poll(fds, 3, static_cast<int>(left.count()));
        if (ready < 0 && errno == EINTR) continue;
        if (ready < 0) throw std::system_error(errno, std::generic_category(), "poll");
        if (fds[2].fd >= 0 && fds[2].revents != 0) {
            fds[2].fd = -1;  // exited; keep draining the pipes
            --open_fds;
        }
        for (int i = 0; i < 2; ++i) {
            if (fds[i].fd < 0 || fds[i].revents == 0) continue;
            char buffer[65536];
            const ssize_t n = ::read(fds[i].fd, buffer, sizeof buffer);
            if (n > 0) {
                sinks[i]->append(buffer, static_cast<size_t>(n));
            } else if (n == 0 || errno != EINTR) {
                fds[i].fd = -1;
                --open_fds;
            }
        }
    }
    ::close(pidfd);
    if (result.timed_out) return result;  // the guard kills and reaps the group

    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    guard.reaped();
    ::kill(-pid, SIGKILL);  // anything the child left behind in its group
    if (WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
    if (WIFSIGNALED(status)) result.term_signal = WTERMSIG(status);
    return result;
}

BackgroundProcess::BackgroundProcess(const std::vector<std::string> &argv,
                                     const std::filesystem::path &out_file,
                                     const std::filesystem::path &err_file)
    : out_file_(out_file), err_file_(err_file) {
    if (argv.empty()) throw std::invalid_argument("BackgroundProcess: empty argv");
    std::vector<char *> args;
    for (const auto &a : argv) args.push_back(const_cast<char *>(a.c_str()));
    args.push_back(nullptr);
    const int out = ::open(out_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    const int err = ::open(err_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (out < 0 || err < 0) throw std::system_error(errno, std::generic_category(), "open");
    pid_ = ::fork();
    if (pid_ < 0) throw std::system_error(errno, std::generic_category(), "fork");
    if (pid_ == 0) {
        ::setpgid(0, 0);
        ::dup2(out, STDOUT_FILENO);
        ::dup2(err, STDERR_FILENO);
        const int devnull = ::open("/dev/null", O_RDONLY);
        if (devnull >= 0) ::dup2(devnull, STDIN_FILENO);
        ::execv(args[0], args.data());
        ::_exit(127);
    }
    ::close(out);
    ::close(err);
}

BackgroundProcess::~BackgroundProcess() {
    if (pid_ > 0 && !reaped_) {
        ::kill(pid_, SIGKILL);
        int status = 0;
        while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
        }
    }
}

void BackgroundProcess::signal(int signal_number) const {
    if (!reaped_) ::kill(pid_, signal_number);
}

std::string BackgroundProcess::err() const {
    return read_whole(err_file_);
}
std::string BackgroundProcess::out() const {
    return read_whole(out_file_);
}

bool BackgroundProcess::wait(std::chrono::milliseconds timeout) {
    if (reaped_) return true;
    const int pidfd = static_cast<int>(::syscall(SYS_pidfd_open, pid_, 0));
    if (pidfd < 0) throw std::system_error(errno, std::generic_category(), "pidfd_open");
    pollfd p{pidfd, POLLIN, 0};
    int ready;
    do {
        ready = ::poll(&p, 1, static_cast<int>(timeout.count()));
    } while (ready < 0 && errno == EINTR);
    ::close(pidfd);
    if (ready <= 0) return false;
    int status = 0;
    while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
    reaped_ = true;
    if (WIFEXITED(status)) exit_code_ = WEXITSTATUS(status);
    if (WIFSIGNALED(status)) term_signal_ = WTERMSIG(status);
    return true;
}

}  // namespace warden::test
