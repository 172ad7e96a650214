// exec_observed.hpp — what an `exec` worker last saw of its service.
//
// collect_observed_state writes this document; every `next` reads it back
// from the snapshot. It holds facts only — what s6 reports and what the
// worker deployed — and leaves every judgement to the states.
#pragma once

#include <warden/plugin.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace exec_sample {

struct ExecObserved {
    warden::ServiceStatus service;  ///< the s6 service, as observed
    int64_t up_for_ms = 0;          ///< how long the process has been up; 0 when down
    int64_t down_for_ms = 0;        ///< how long it has been down; 0 when up
    std::string deployed;           ///< fingerprint of the desired state last deployed; "" = none

    std::string to_json() const;
    static ExecObserved from_json(std::string_view observed_json);
};

}  // namespace exec_sample
