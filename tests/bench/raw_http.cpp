// tests/bench/raw_http.cpp
#include "raw_http.hpp"

#include <curl/curl.h>

#include <stdexcept>

namespace warden::bench {
namespace {

size_t append(char *data, size_t size, size_t count, void *body) {
    static_cast<std::string *>(body)->append(data, size * count);
    return size * count;
}

}  // namespace

RawCurl::RawCurl() : curl_(curl_easy_init()) {
    if (curl_ == nullptr) throw std::runtime_error("curl_easy_init failed");
    curl_easy_setopt(curl_, CURLOPT_NOSIGNAL, 1L);
    // One connection kept: a new one closes the old, as the host's handle
    // does once more ports rotate through it than it keeps.
    curl_easy_setopt(curl_, CURLOPT_MAXCONNECTS, 1L);
    curl_easy_setopt(curl_, CURLOPT_TCP_NODELAY, 1L);
    curl_easy_setopt(curl_, CURLOPT_WRITEFUNCTION, &append);
    curl_easy_setopt(curl_, CURLOPT_WRITEDATA, &body_);
}

RawCurl::~RawCurl() {
    curl_easy_cleanup(curl_);
}

const std::string &RawCurl::get(const std::string &url, bool new_connection) {
    body_.clear();
    curl_easy_setopt(curl_, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl_, CURLOPT_FRESH_CONNECT, new_connection ? 1L : 0L);
    long code = 0;
    if (curl_easy_perform(curl_) != CURLE_OK ||
        curl_easy_getinfo(curl_, CURLINFO_RESPONSE_CODE, &code) != CURLE_OK || code != 200)
        throw std::runtime_error("GET " + url + " failed");
    return body_;
}

}  // namespace warden::bench
