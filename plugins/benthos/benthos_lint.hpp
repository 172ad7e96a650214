// benthos_lint.hpp — asking Benthos whether a rendered config is valid.
//
// Benthos's own `lint` knows every component and field; the worker runs it
// on the exact bytes it would deploy, through the host (a private working
// dir, a timeout, an audit line), before it creates or updates the service,
// and `warden --check-config` runs the same check.
#pragma once

#include "benthos_observed.hpp"
#include "benthos_render.hpp"

#include <warden/host.hpp>

namespace benthos_plugin {

/// Lints `rendering`. A config lint rejects is a verdict, not an error; a
/// binary that cannot be run, or hangs, throws warden::Error saying so.
LintVerdict lint(const warden::Host &host, const Rendering &rendering,
                 const warden::Cancel &cancel);

}  // namespace benthos_plugin
