// SPDX-License-Identifier: Apache-2.0
// host/common/result.hpp — a value or an error that says what went wrong.
//
// The host's load and I/O paths return Result<T> instead of throwing or
// returning bools: the error's message names the thing, the step and the
// cause, so the caller can log it as it is or put it in context.
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace warden::host {

/// What kind of failure an Error is, where a caller acts on the kind (the
/// host services turn it into a warden_status).
enum class ErrorKind {
    failed,            ///< anything else
    invalid_argument,  ///< a bad name, spec or value
    not_found,         ///< the named thing does not exist
    not_permitted,     ///< outside the caller's scope
    not_supervised,    ///< no s6-supervise runs the service
    unsupported,       ///< a request this host cannot carry out
    timeout,           ///< a deadline passed
    cancelled,         ///< the caller asked the work to stop
    conflict,          ///< held by someone else (a port another worker reserved)
};

struct Error {
    std::string message;
    ErrorKind kind = ErrorKind::failed;
};

template <typename T>
class [[nodiscard]] Result {
public:
    Result(T value) : state_(std::in_place_index<0>, std::move(value)) {}
    Result(Error error) : state_(std::in_place_index<1>, std::move(error)) {}

    bool ok() const noexcept { return state_.index() == 0; }
    explicit operator bool() const noexcept { return ok(); }

    T &value() & { return std::get<0>(state_); }
    const T &value() const & { return std::get<0>(state_); }
    T &&value() && { return std::get<0>(std::move(state_)); }
    T *operator->() { return &value(); }
    const T *operator->() const { return &value(); }

    const Error &error() const { return std::get<1>(state_); }

private:
    std::variant<T, Error> state_;
};

template <>
class [[nodiscard]] Result<void> {
public:
    Result() = default;
    Result(Error error) : error_(std::move(error)), failed_(true) {}

    bool ok() const noexcept { return !failed_; }
    explicit operator bool() const noexcept { return ok(); }
    const Error &error() const { return error_; }

private:
    Error error_;
    bool failed_ = false;
};

/// Shorthand for returning a failure: `return fail("cannot read ", path);`
template <typename... Parts>
Error fail(Parts &&...parts) {
    std::string message;
    (message.append(std::forward<Parts>(parts)), ...);
    return Error{std::move(message)};
}

/// The same, of a given kind: `return fail_as(ErrorKind::not_found, "no service ", name);`
template <typename... Parts>
Error fail_as(ErrorKind kind, Parts &&...parts) {
    Error error = fail(std::forward<Parts>(parts)...);
    error.kind = kind;
    return error;
}

}  // namespace warden::host
