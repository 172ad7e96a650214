// SPDX-License-Identifier: Apache-2.0
// host/net/http_probe.cpp
#include "net/http_probe.hpp"

#include <warden/host_rules.hpp>

#include <curl/curl.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <mutex>

namespace warden::host {
namespace {

struct BodyBuffer {
    std::string *body;
    bool too_big = false;
};

size_t on_data(char *data, size_t size, size_t count, void *user) {
    auto *buffer = static_cast<BodyBuffer *>(user);
    const size_t n = size * count;
    if (n > kHttpMaxBodyBytes - buffer->body->size()) {
        buffer->too_big = true;
        return 0;  // libcurl ends the transfer with CURLE_WRITE_ERROR
    }
    buffer->body->append(data, n);
    return n;
}

// One libcurl handle per thread, with everything that never changes set
// once. The handle keeps its connections open between probes.
class ProbeHandle {
public:
    ProbeHandle() : curl_(curl_easy_init()) {
        if (curl_ == nullptr) return;
        curl_easy_setopt(curl_, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(curl_, CURLOPT_NOPROXY, "*");
        curl_easy_setopt(curl_, CURLOPT_FOLLOWLOCATION, 0L);
        curl_easy_setopt(curl_, CURLOPT_PROTOCOLS_STR, "http");
        curl_easy_setopt(curl_, CURLOPT_PATH_AS_IS, 1L);  // the path goes out as given
        curl_easy_setopt(curl_, CURLOPT_TCP_NODELAY, 1L);
        curl_easy_setopt(curl_, CURLOPT_MAXCONNECTS, 16L);
        curl_easy_setopt(curl_, CURLOPT_WRITEFUNCTION, &on_data);
        curl_easy_setopt(curl_, CURLOPT_ERRORBUFFER, error_);
    }
    ~ProbeHandle() {
        if (curl_ != nullptr) curl_easy_cleanup(curl_);
    }
    ProbeHandle(const ProbeHandle &) = delete;
    ProbeHandle &operator=(const ProbeHandle &) = delete;

    CURL *get() { return curl_; }
    const char *error_text() const { return error_; }
    void clear_error() { error_[0] = '\0'; }

private:
    CURL *curl_;
    char error_[CURL_ERROR_SIZE] = {};
};

// Frees a request's header list when the request is done.
struct HeaderList {
    ~HeaderList() { curl_slist_free_all(list); }
    curl_slist *list = nullptr;
};

std::chrono::milliseconds effective_timeout(std::chrono::milliseconds requested) {
    if (requested.count() <= 0) return kHttpDefaultTimeout;
    return std::min(requested, kHttpMaxTimeout);
}

Error probe_error(ErrorKind kind, const HttpRequest &request, const std::string &cause) {
    return fail_as(kind, "http ", http_target(request), ": ", cause);
}

}  // namespace

void init_http_probe() {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

std::string http_target(const HttpRequest &request) {
    return rules::http_target(request.method, request.port, request.path);
}

// The rules are the SDK's, the ones a plugin's probe meets first on the host
// and on the fake host: written once, in the words plugins see.
Result<void> check_http_request(const HttpRequest &request) {
    const auto s = [](std::string_view text) { return warden_str{text.data(), text.size()}; };
    warden_http_request c = WARDEN_INIT(warden_http_request);
    c.method = s(request.method);
    c.port = request.port;
    c.path = s(request.path);
    c.content_type = s(request.content_type);
    c.body = s(request.body);
    const rules::Refusal refused = rules::http_request_problem(&c);
    if (!refused) return {};
    return Error{refused.text, refused.status == WARDEN_ERR_UNSUPPORTED
                                   ? ErrorKind::unsupported
                                   : ErrorKind::invalid_argument};
}

Result<int> http_probe(const HttpRequest &request, std::string &body) {
    body.clear();
    if (Result<void> valid = check_http_request(request); !valid) return valid.error();
    init_http_probe();
    thread_local ProbeHandle handle;
    CURL *curl = handle.get();
    if (curl == nullptr)
        return probe_error(ErrorKind::failed, request, "libcurl could not make a handle");
    handle.clear_error();

    const std::chrono::milliseconds timeout = effective_timeout(request.timeout);
    std::string url = "http://127.0.0.1:" + std::to_string(request.port);
    url.append(request.path);
    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout.count()));
    BodyBuffer buffer{&body};
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &buffer);

    HeaderList headers;
    const std::string_view method = request.method.empty() ? "GET" : request.method;
    if (method == "GET") {
        curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
    } else {
        // POST and PUT send their body alike. No "Expect: 100-continue" round
        // trip; no form content type unless asked.
        headers.list = curl_slist_append(headers.list, "Expect:");
        const std::string content_type =
            "Content-Type:" + (request.content_type.empty()
                                   ? std::string()
                                   : " " + std::string(request.content_type));
        if (headers.list != nullptr)
            if (curl_slist *more = curl_slist_append(headers.list, content_type.c_str()))
                headers.list = more;
        curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE,
                         static_cast<curl_off_t>(request.body.size()));
        // Never NULL: libcurl would read the body from stdin instead.
        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, request.body.empty() ? "" : request.body.data());
    }
    // Set on every request: the handle's next request must not inherit a PUT.
    const char *custom_method = method == "PUT" ? "PUT" : nullptr;
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, custom_method);
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers.list);

    const CURLcode code = curl_easy_perform(curl);
    // The handle outlives this call: it must not keep pointers into it.
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, nullptr);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, nullptr);

    if (code == CURLE_OK) {
        long status = 0;
        curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
        return static_cast<int>(status);
    }
    body.clear();
    switch (code) {
        case CURLE_COULDNT_CONNECT: {
            long os_errno = 0;
            curl_easy_getinfo(curl, CURLINFO_OS_ERRNO, &os_errno);
            return probe_error(
                ErrorKind::not_found, request,
                os_errno == ECONNREFUSED
                    ? std::string("connection refused")
                    : "cannot connect: " + std::string(std::strerror(static_cast<int>(os_errno))));
        }
        case CURLE_OPERATION_TIMEDOUT:
            return probe_error(ErrorKind::timeout, request,
                               "no answer within " + std::to_string(timeout.count()) + " ms");
        case CURLE_WRITE_ERROR:
            if (buffer.too_big)
                return probe_error(ErrorKind::failed, request,
                                   "the answer's body is larger than " +
                                       std::to_string(kHttpMaxBodyBytes / (1024 * 1024)) +
                                       " MiB; dropped");
            break;
        case CURLE_GOT_NOTHING:
            return probe_error(ErrorKind::failed, request,
                               "the connection closed without an answer");
        default: break;
    }
    const char *detail =
        handle.error_text()[0] != '\0' ? handle.error_text() : curl_easy_strerror(code);
    return probe_error(ErrorKind::failed, request, printable(detail));
}

}  // namespace warden::host
