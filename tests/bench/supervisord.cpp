// SPDX-License-Identifier: Apache-2.0
// tests/bench/supervisord.cpp
#include "supervisord.hpp"

#include "proc_stats.hpp"
#include "warden_host.hpp"

#include <curl/curl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <set>
#include <stdexcept>

namespace warden::bench {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

// Only what the bench makes goes into supervisord's config, whose values it
// expands (%) and splits (; and spaces): paths and names of plain characters.
void check_plain(const std::string &text, const std::string &allowed, const char *what) {
    if (text.empty() || text.find_first_not_of(allowed) != std::string::npos)
        throw std::runtime_error(std::string(what) + " '" + text +
                                 "' holds characters supervisord's config would read as syntax");
}

const std::string kLowerDigits = "abcdefghijklmnopqrstuvwxyz0123456789";
const std::string kPathCharacters = kLowerDigits + "ABCDEFGHIJKLMNOPQRSTUVWXYZ/._-";

std::string string_value(const std::string &text) {
    return "<value><string>" + text + "</string></value>";
}

std::string string_param(const std::string &text) {
    return "<param>" + string_value(text) + "</param>";
}

// One system.multicall of `method` with each of `args`, and `extra` (a
// <value>) after each.
std::string multicall_params(const std::string &method, const std::vector<std::string> &args,
                             const std::string &extra = "") {
    std::string calls;
    for (const auto &arg : args)
        calls += "<value><struct><member><name>methodName</name>" + string_value(method) +
                 "</member><member><name>params</name><value><array><data>" + string_value(arg) +
                 extra + "</data></array></value></member></struct></value>";
    return "<param><value><array><data>" + calls + "</data></array></value></param>";
}

// The text between `open` and `close` from `from` on; npos in `from` when
// there is none, else `from` moves past `close`.
std::string between(const std::string &text, const std::string &open, const std::string &close,
                    std::size_t &from) {
    const auto start = text.find(open, from);
    const auto end = start == std::string::npos ? start : text.find(close, start + open.size());
    if (end == std::string::npos) {
        from = std::string::npos;
        return {};
    }
    from = end + close.size();
    return text.substr(start + open.size(), end - start - open.size());
}

// The faultCode of every fault in an answer.
std::vector<int> fault_codes(const std::string &answer) {
    std::vector<int> codes;
    std::size_t at = 0;
    while (true) {
        const std::string code =
            between(answer, "<name>faultCode</name>\n<value><int>", "</int>", at);
        if (at == std::string::npos) return codes;
        codes.push_back(std::stoi(code));
    }
}

// The strings of the next <array> of strings from `from` on.
std::vector<std::string> string_array(const std::string &answer, std::size_t &from) {
    const std::string array = between(answer, "<array><data>", "</data></array>", from);
    std::vector<std::string> out;
    for (std::size_t at = 0;;) {
        std::string text = between(array, "<string>", "</string>", at);
        if (at == std::string::npos) return out;
        out.push_back(std::move(text));
    }
}

// A process info struct: name, pid, statename (xmlrpc.client's layout:
// each member's name and value on lines of their own).
ProgramInfo program_info(const std::string &members) {
    ProgramInfo info;
    for (std::size_t at = 0;;) {
        const std::string member = between(members, "<member>", "</member>", at);
        if (at == std::string::npos) return info;
        std::size_t in = 0;
        const std::string name = between(member, "<name>", "</name>", in);
        const std::string value = between(member, "<value><", "</value>", in);
        const std::string text =
            value.substr(value.find('>') + 1, value.rfind("</") - value.find('>') - 1);
        if (name == "name") info.name = text;
        if (name == "pid") info.pid = std::stoll(text);
        if (name == "statename") info.state = text;
    }
}

std::set<std::string> as_set(const std::vector<std::string> &names) {
    return {names.begin(), names.end()};
}

std::string joined(const std::vector<std::string> &names) {
    std::string text;
    for (const auto &name : names) text += (text.empty() ? "" : " ") + name;
    return text.empty() ? "none" : text;
}

}  // namespace

// One connection to supervisord's socket, kept open between calls.
class Supervisord::Rpc {
public:
    explicit Rpc(const fs::path &socket) : curl_(curl_easy_init()) {
        if (curl_ == nullptr) throw std::runtime_error("curl_easy_init failed");
        // Without "Expect:" libcurl would wait a second for a 100-continue
        // that supervisord's HTTP server never sends, on every large call.
        headers_ = curl_slist_append(headers_, "Content-Type: text/xml");
        headers_ = curl_slist_append(headers_, "Expect:");
        curl_easy_setopt(curl_, CURLOPT_UNIX_SOCKET_PATH, socket.c_str());
        curl_easy_setopt(curl_, CURLOPT_URL, "http://localhost/RPC2");
        curl_easy_setopt(curl_, CURLOPT_HTTPHEADER, headers_);
        curl_easy_setopt(curl_, CURLOPT_WRITEFUNCTION, &Rpc::append);
        curl_easy_setopt(curl_, CURLOPT_TIMEOUT, 120L);
        curl_easy_setopt(curl_, CURLOPT_NOSIGNAL, 1L);
    }
    ~Rpc() {
        curl_slist_free_all(headers_);
        curl_easy_cleanup(curl_);
    }
    Rpc(const Rpc &) = delete;
    Rpc &operator=(const Rpc &) = delete;

    std::string post(const std::string &body) {
        std::string answer;
        curl_easy_setopt(curl_, CURLOPT_WRITEDATA, &answer);
        curl_easy_setopt(curl_, CURLOPT_POSTFIELDS, body.c_str());
        curl_easy_setopt(curl_, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
        const CURLcode result = curl_easy_perform(curl_);
        if (result != CURLE_OK)
            throw std::runtime_error(std::string("XML-RPC to supervisord: ") +
                                     curl_easy_strerror(result));
        long status = 0;
        curl_easy_getinfo(curl_, CURLINFO_RESPONSE_CODE, &status);
        if (status != 200)
            throw std::runtime_error("XML-RPC to supervisord: HTTP " + std::to_string(status));
        return answer;
    }

private:
    static std::size_t append(char *data, std::size_t size, std::size_t count, void *answer) {
        static_cast<std::string *>(answer)->append(data, size * count);
        return size * count;
    }

    CURL *curl_;
    curl_slist *headers_ = nullptr;
};

Supervisord::Supervisord() {
    // Programs orphaned by a killed supervisord come back to the bench to
    // be reaped.
    ::prctl(PR_SET_CHILD_SUBREAPER, 1);
    const std::string root_text = root().string();
    check_plain(root_text, kPathCharacters, "the directory");
    if ((root() / "supervisor.sock").string().size() >= 100)
        throw std::runtime_error("the socket's path is too long: " + root_text);
    fs::create_directories(root() / "programs");
    fs::create_directories(root() / "logs");
    test::write_file(config(), "; supervisord of the peer benchmark: everything in " + root_text +
                                   "\n"
                                   "[unix_http_server]\n"
                                   "file=" +
                                   root_text +
                                   "/supervisor.sock\n"
                                   "chmod=0700\n\n"
                                   "[supervisord]\n"
                                   "nodaemon=true\n"
                                   "logfile=" +
                                   root_text +
                                   "/supervisord.log\n"
                                   "pidfile=" +
                                   root_text +
                                   "/supervisord.pid\n"
                                   "childlogdir=" +
                                   root_text +
                                   "/logs\n\n"
                                   "[rpcinterface:supervisor]\n"
                                   "supervisor.rpcinterface_factory = "
                                   "supervisor.rpcinterface:make_main_rpcinterface\n\n"
                                   "[supervisorctl]\n"
                                   "serverurl=unix://" +
                                   root_text +
                                   "/supervisor.sock\n\n"
                                   "[include]\n"
                                   "files = programs/*.conf\n");
}

Supervisord::~Supervisord() {
    try {
        kill_everything();
    } catch (...) {
    }
}

void Supervisord::start() {
    if (process_) throw std::runtime_error("supervisord runs already");
    const std::string run = "supervisord-" + std::to_string(++runs_);
    // env -C: supervisord and so its programs work in the directory, where
    // the cleanup finds them.
    process_ = std::make_unique<test::BackgroundProcess>(
        std::vector<std::string>{"/usr/bin/env", "-C", root().string(), "supervisord", "-c",
                                 config().string()},
        root() / (run + ".out"), root() / (run + ".err"));
    if (!wait_fine(
            [&] {
                read_log();
                if (started_pid_ == process_->pid()) return true;
                if (process_->wait(0ms))
                    throw std::runtime_error("supervisord exited at its start:\n" +
                                             process_->err());
                return false;
            },
            30s))
        throw std::runtime_error("supervisord did not start:\n" + process_->err());
    rpc_ = std::make_unique<Rpc>(root() / "supervisor.sock");
}

void Supervisord::stop() {
    if (!process_) return;
    rpc_.reset();
    process_->signal(SIGTERM);
    if (!process_->wait(600s)) throw std::runtime_error("supervisord did not stop in 600 s");
    if (process_->exit_code() != 0)
        throw std::runtime_error("supervisord exited with " +
                                 std::to_string(process_->exit_code()) + ", signal " +
                                 std::to_string(process_->term_signal()) + ":\n" + process_->err());
    process_.reset();
    read_log();
}

pid_t Supervisord::pid() const {
    return process_ ? process_->pid() : 0;
}

void Supervisord::write_programs(const std::vector<std::string> &names) {
    for (const auto &name : names) {
        check_plain(name, kLowerDigits, "the program name");
        test::write_file(root() / "programs" / (name + ".conf"),
                         "[program:" + name +
                             "]\n"
                             "command=/bin/sleep 3600\n"
                             "directory=" +
                             root().string() +
                             "\n"
                             "autostart=true\n"
                             "autorestart=true\n"
                             "; RUNNING once it has lived startsecs: with the default 1 s every\n"
                             "; start would wait that second by design before it counts\n"
                             "startsecs=0\n"
                             "stdout_logfile=AUTO\n"
                             "stderr_logfile=AUTO\n");
    }
}

void Supervisord::delete_programs(const std::vector<std::string> &names) {
    for (const auto &name : names)
        if (!fs::remove(root() / "programs" / (name + ".conf")))
            throw std::runtime_error("no program file for " + name);
}

std::string Supervisord::call(const std::string &method, const std::string &params) {
    if (!rpc_) throw std::runtime_error("supervisord does not run");
    const std::string answer =
        rpc_->post("<?xml version=\"1.0\"?>\n<methodCall><methodName>" + method +
                   "</methodName><params>" + params + "</params></methodCall>");
    if (answer.find("<fault>") != std::string::npos)
        throw std::runtime_error("supervisord refused " + method + ": " + answer);
    return answer;
}

// reloadConfig, which must have found exactly `added` and `removed` (as
// sets) and changed nothing.
void Supervisord::reload_config(const std::vector<std::string> &added_wanted,
                                const std::vector<std::string> &removed_wanted) {
    const std::string reloaded = call("supervisor.reloadConfig", "");
    std::size_t at = reloaded.find("<array><data>");
    at = reloaded.find("<array><data>", at + 1);  // [[added, changed, removed]]
    const auto added = string_array(reloaded, at);
    const auto changed = string_array(reloaded, at);
    const auto removed = string_array(reloaded, at);
    if (as_set(added) != as_set(added_wanted) || !changed.empty() ||
        as_set(removed) != as_set(removed_wanted))
        throw std::runtime_error("supervisord's reloadConfig: added " + joined(added) +
                                 "; changed " + joined(changed) + "; removed " + joined(removed));
}

void Supervisord::add_groups(const std::vector<std::string> &names) {
    reload_config(names, {});
    const std::string answer =
        call("system.multicall", multicall_params("supervisor.addProcessGroup", names));
    if (!fault_codes(answer).empty())
        throw std::runtime_error("supervisord's addProcessGroup failed: " + answer);
}

void Supervisord::remove_groups(const std::vector<std::string> &names) {
    reload_config({}, names);
    const std::string stopped = call(
        "system.multicall",
        multicall_params("supervisor.stopProcess", names, "<value><boolean>0</boolean></value>"));
    if (!fault_codes(stopped).empty())
        throw std::runtime_error("supervisord's stopProcess failed: " + stopped);
    // A group whose process supervisord has not reaped yet is refused with
    // STILL_RUNNING (91): asked again until every one is gone.
    std::vector<std::string> left = names;
    if (!wait_fine(
            [&] {
                const std::string answer = call(
                    "system.multicall", multicall_params("supervisor.removeProcessGroup", left));
                const auto faults = fault_codes(answer);
                for (const int code : faults)
                    if (code != 91)
                        throw std::runtime_error("supervisord's removeProcessGroup failed: " +
                                                 answer);
                if (faults.empty()) return true;
                const auto reported = programs_reported();
                std::set<std::string> present;
                for (const auto &p : reported) present.insert(p.name);
                std::vector<std::string> still;
                for (const auto &name : left)
                    if (present.count(name) > 0) still.push_back(name);
                left = still;
                return left.empty();
            },
            60s))
        throw std::runtime_error("supervisord did not remove " + joined(left));
}

std::vector<ProgramInfo> Supervisord::programs_reported() {
    const std::string answer = call("supervisor.getAllProcessInfo", "");
    std::vector<ProgramInfo> out;
    for (std::size_t at = 0;;) {
        const std::string members = between(answer, "<struct>", "</struct>", at);
        if (at == std::string::npos) return out;
        out.push_back(program_info(members));
    }
}

ProgramInfo Supervisord::program_reported(const std::string &name) {
    const std::string answer = call("supervisor.getProcessInfo", string_param(name));
    std::size_t at = 0;
    return program_info(between(answer, "<struct>", "</struct>", at));
}

// supervisord writes each line whole and flushes it; a line read in part
// waits for its end.
void Supervisord::read_log() {
    std::ifstream log(root() / "supervisord.log", std::ios::binary);
    if (!log) return;
    log.seekg(static_cast<std::streamoff>(log_offset_));
    std::string text((std::istreambuf_iterator<char>(log)), std::istreambuf_iterator<char>());
    log_offset_ += text.size();
    log_partial_ += text;
    std::size_t start = 0;
    for (auto end = log_partial_.find('\n'); end != std::string::npos;
         start = end + 1, end = log_partial_.find('\n', start)) {
        // "2026-11-28 08:18:10,338 INFO spawned: 'p0' with pid 14763"
        const std::string line = log_partial_.substr(start, end - start);
        std::size_t at = line.find(' ');
        if (at != std::string::npos) at = line.find(' ', at + 1);
        if (at != std::string::npos) at = line.find(' ', at + 1);
        if (at == std::string::npos) continue;
        const std::string message = line.substr(at + 1);
        auto word_after = [&](const std::string &prefix) {
            return message.substr(prefix.size(), message.find(' ', prefix.size()) - prefix.size());
        };
        if (message.rfind("spawned: '", 0) == 0) {
            const auto quote = message.find('\'', 10);
            const auto pid = message.rfind(' ');
            if (quote == std::string::npos) continue;
            logged_[message.substr(10, quote - 10)] = {std::stoll(message.substr(pid + 1)), false};
        } else if (message.rfind("success: ", 0) == 0 &&
                   message.find(" entered RUNNING state") != std::string::npos) {
            logged_[word_after("success: ")].running = true;
        } else if (message.rfind("exited: ", 0) == 0) {
            logged_[word_after("exited: ")] = {};
        } else if (message.rfind("stopped: ", 0) == 0) {
            logged_[word_after("stopped: ")] = {};
        } else if (message.rfind("gave up: ", 0) == 0) {
            logged_[word_after("gave up: ")] = {};
        } else if (message.rfind("supervisord started with pid ", 0) == 0) {
            started_pid_ = static_cast<pid_t>(std::stol(message.substr(29)));
        }
    }
    log_partial_.erase(0, start);
}

const std::map<std::string, LoggedProgram> &Supervisord::programs_logged() {
    read_log();
    return logged_;
}

bool Supervisord::all_spawned(const std::vector<std::string> &names) {
    read_log();
    for (const auto &name : names) {
        const auto found = logged_.find(name);
        if (found == logged_.end() || found->second.pid == 0) return false;
    }
    return true;
}

bool Supervisord::all_running(const std::vector<std::string> &names) {
    read_log();
    for (const auto &name : names) {
        const auto found = logged_.find(name);
        if (found == logged_.end() || !found->second.running) return false;
    }
    return true;
}

test::ProcessResult Supervisord::ctl(const std::vector<std::string> &args) const {
    std::vector<std::string> argv{"supervisorctl", "-c", config().string()};
    argv.insert(argv.end(), args.begin(), args.end());
    test::ProcessOptions options;
    options.timeout = std::chrono::minutes(10);
    test::ProcessResult result = test::run_process(argv, options);
    if (result.exit_code != 0)
        throw std::runtime_error("supervisorctl " + joined(args) + ": " + result.describe());
    return result;
}

void Supervisord::kill_everything() {
    rpc_.reset();
    process_.reset();  // SIGKILL and reap: its programs become the bench's
    for (int round = 0; round < 50; ++round) {
        const std::vector<pid_t> left = processes_under(root());
        if (left.empty()) break;
        for (const pid_t pid : left) ::kill(pid, SIGKILL);
        wait_fine(
            [&] {
                for (const pid_t pid : left) ::waitpid(pid, nullptr, WNOHANG);
                for (const pid_t pid : left)
                    if (::kill(pid, 0) == 0) return false;
                return true;
            },
            2s);
    }
}

std::vector<std::string> program_names(int n, const std::string &prefix) {
    std::vector<std::string> out;
    for (int i = 0; i < n; ++i) out.push_back(prefix + std::to_string(i));
    return out;
}

}  // namespace warden::bench
