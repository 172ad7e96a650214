// SPDX-License-Identifier: Apache-2.0
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
    curl_easy_setopt(curl_, CURLOPT_HTTPGET, 1L);
    curl_easy_setopt(curl_, CURLOPT_HTTPHEADER, nullptr);
    curl_easy_setopt(curl_, CURLOPT_FRESH_CONNECT, new_connection ? 1L : 0L);
    return perform("GET", url);
}

const std::string &RawCurl::post(const std::string &url, const std::string &body,
                                 const std::string &content_type) {
    const std::string header = "Content-Type: " + content_type;
    curl_slist *headers = curl_slist_append(nullptr, header.c_str());
    curl_easy_setopt(curl_, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl_, CURLOPT_POSTFIELDS, body.c_str());
    curl_easy_setopt(curl_, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
    curl_easy_setopt(curl_, CURLOPT_FRESH_CONNECT, 0L);
    try {
        perform("POST", url);
    } catch (...) {
        curl_easy_setopt(curl_, CURLOPT_HTTPHEADER, nullptr);
        curl_slist_free_all(headers);
        throw;
    }
    curl_easy_setopt(curl_, CURLOPT_HTTPHEADER, nullptr);
    curl_slist_free_all(headers);
    return body_;
}

const std::string &RawCurl::perform(const char *method, const std::string &url) {
    body_.clear();
    curl_easy_setopt(curl_, CURLOPT_URL, url.c_str());
    long code = 0;
    if (curl_easy_perform(curl_) != CURLE_OK ||
        curl_easy_getinfo(curl_, CURLINFO_RESPONSE_CODE, &code) != CURLE_OK || code != 200)
        throw std::runtime_error(std::string(method) + " " + url + " failed");
    return body_;
}

}  // namespace warden::bench
