// SPDX-License-Identifier: Apache-2.0
// host/common/unique_fd.hpp — one open file descriptor, closed when its
// owner goes (or at reset()); moving it hands the descriptor on.
#pragma once

#include <unistd.h>

#include <utility>

namespace warden::host {

struct UniqueFd {
    UniqueFd() = default;
    explicit UniqueFd(int descriptor) : fd(descriptor) {}
    ~UniqueFd() { reset(); }
    UniqueFd(const UniqueFd &) = delete;
    UniqueFd &operator=(const UniqueFd &) = delete;
    UniqueFd(UniqueFd &&other) noexcept : fd(other.release()) {}
    UniqueFd &operator=(UniqueFd &&other) noexcept {
        if (this != &other) {
            reset();
            fd = other.release();
        }
        return *this;
    }

    void reset() {
        if (fd >= 0) ::close(fd);
        fd = -1;
    }

    /// Gives the descriptor up without closing it: the caller owns it now.
    [[nodiscard]] int release() { return std::exchange(fd, -1); }

    int fd = -1;  ///< -1 = none
};

}  // namespace warden::host
