// host/common/unique_fd.hpp — one open file descriptor, closed when its
// owner goes (or at reset()).
#pragma once

#include <unistd.h>

namespace warden::host {

struct UniqueFd {
    UniqueFd() = default;
    explicit UniqueFd(int descriptor) : fd(descriptor) {}
    ~UniqueFd() { reset(); }
    UniqueFd(const UniqueFd &) = delete;
    UniqueFd &operator=(const UniqueFd &) = delete;

    void reset() {
        if (fd >= 0) ::close(fd);
        fd = -1;
    }

    int fd = -1;  ///< -1 = none
};

}  // namespace warden::host
