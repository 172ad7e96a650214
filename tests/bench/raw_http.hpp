// SPDX-License-Identifier: Apache-2.0
// tests/bench/raw_http.hpp — raw HTTP, the way a small program would make
// its requests: what the benchmarks measure the host's http_probe against.
//
// THREADING: one RawCurl per thread.
#pragma once

#include <string>

namespace warden::bench {

/// One libcurl easy handle, reused, keep-alive, no signals, Nagle off; one
/// connection kept, as the host's handle keeps one per port in use.
class RawCurl {
public:
    RawCurl();
    ~RawCurl();
    RawCurl(const RawCurl &) = delete;
    RawCurl &operator=(const RawCurl &) = delete;

    /// GETs `url` and returns its body (valid until the next get); on a new
    /// connection when `new_connection`. Throws unless the answer is 200.
    const std::string &get(const std::string &url, bool new_connection = false);
    /// POSTs `body` as `content_type` to `url` and returns the answer's body
    /// (valid until the next call). Throws unless the answer is 200.
    const std::string &post(const std::string &url, const std::string &body,
                            const std::string &content_type);

private:
    const std::string &perform(const char *method, const std::string &url);

    void *curl_;  // CURL *, kept out of this header
    std::string body_;
};

}  // namespace warden::bench
