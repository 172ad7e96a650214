/*
 * warden/plugin.h — the Warden plugin ABI (the SDK's C interface).
 *
 * A Warden plugin is a shared library that offers worker types to the Warden
 * host. This header is the whole contract between them: plain C99 that also
 * compiles as C++, built from fixed-size scalars, opaque handles, `{ptr, len}`
 * strings and structs that grow only by appending.
 *
 * The contract is written out as numbered policies in docs/plugin-interface.md;
 * the comments below cite them as [WP-...].
 *
 * Name families:
 *   warden_*_fn              hooks the PLUGIN implements (the host calls them)
 *   warden_host_services     services the HOST implements (the plugin calls them)
 *   warden_host_ctx, warden_json_sink, warden_decision_sink, warden_cancel
 *                            opaque handles OWNED BY THE HOST
 *   warden_worker            opaque handle OWNED BY THE PLUGIN
 *
 * ABI version history (major << 16 | minor). A minor version only appends
 * fields and adds values; a major version may change anything.
 *   1.0  First release: plugin table, worker types, host services (logging,
 *        errors, clock, sinks, cancellation). The service (s6) and HTTP probe
 *        slots are declared; a host that does not offer them leaves them NULL.
 *   1.1  Warden's host fills the service (s6) slots; a plugin that needs them
 *        sets min_host_minor = 1. No struct changed. The HTTP probe slot is
 *        still NULL.
 *   1.2  The host fills the HTTP probe slot. Appended host services:
 *        port_reserve, service_log_read, command_run (with warden_command,
 *        warden_command_result). Appended to warden_worker_type: the optional
 *        check_config hook. New status WARDEN_ERR_CONFLICT. A plugin that
 *        needs them sets min_host_minor = 2.
 *
 * Values a side does not know: a host refuses a flag bit, command or signal
 * it does not know with WARDEN_ERR_UNSUPPORTED (it never ignores a request);
 * a plugin ignores flag bits it does not know in what the host hands it
 * [WP-ABI-6].
 */
#ifndef WARDEN_PLUGIN_H
#define WARDEN_PLUGIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------ */
/* Versions and the one exported symbol                                      */
/* ------------------------------------------------------------------------ */

#define WARDEN_ABI_VERSION_MAJOR 1
#define WARDEN_ABI_VERSION_MINOR 2
#define WARDEN_MAKE_ABI_VERSION(major, minor) \
    ((uint32_t)(((uint32_t)(major) << 16) | (0xffffu & (uint32_t)(minor))))
#define WARDEN_ABI_VERSION \
    WARDEN_MAKE_ABI_VERSION(WARDEN_ABI_VERSION_MAJOR, WARDEN_ABI_VERSION_MINOR)
#define WARDEN_ABI_MAJOR(version) ((uint32_t)(version) >> 16)
#define WARDEN_ABI_MINOR(version) (0xffffu & (uint32_t)(version))

/** First field of every plugin table: the bytes "WDNP" read as a big-endian u32. */
#define WARDEN_PLUGIN_MAGIC 0x57444e50u

/** The name of the one symbol a plugin exports [WP-LOAD-1]. */
#define WARDEN_PLUGIN_ENTRY_SYMBOL "warden_plugin_entry"

#if defined(__GNUC__) || defined(__clang__)
#define WARDEN_PLUGIN_EXPORT __attribute__((visibility("default")))
#else
#define WARDEN_PLUGIN_EXPORT
#endif

/* ------------------------------------------------------------------------ */
/* Scalars                                                                   */
/* ------------------------------------------------------------------------ */

/**
 * Every function across the boundary returns a status [WP-ERR-1]: 0 for
 * success, one of the negative codes below for an expected failure, and
 * WARDEN_ERR for anything else. The text of an error goes through
 * warden_host_services.set_error, never to stderr.
 */
typedef int32_t warden_status;

#define WARDEN_OK 0
#define WARDEN_ERR (-1)                  /**< anything not listed below */
#define WARDEN_ERR_INVALID_ARGUMENT (-2) /**< a bad argument or worker config */
#define WARDEN_ERR_NOT_FOUND (-3)        /**< the named thing does not exist */
#define WARDEN_ERR_NOT_PERMITTED (-4)    /**< outside the calling worker's scope */
#define WARDEN_ERR_UNSUPPORTED (-5)      /**< this host does not offer it */
#define WARDEN_ERR_TIMEOUT (-6)          /**< a deadline passed */
#define WARDEN_ERR_CANCELLED (-7)        /**< the host asked the call to stop */
#define WARDEN_ERR_NOT_SUPERVISED (-8)   /**< no s6-supervise runs the service */
#define WARDEN_ERR_CONFLICT (-9)         /**< held by another worker (ABI 1.2) */

/**
 * A string that does not own its bytes: `len` bytes at `ptr`, not necessarily
 * NUL-terminated, not necessarily UTF-8. `{NULL, 0}` is the empty string.
 * Never grows (it is the one struct without a struct_size).
 */
typedef struct warden_str {
    const char *ptr;
    size_t len;
} warden_str;

/** A warden_str for a string literal, usable in static initializers. */
#define WARDEN_STR(literal) \
    { (literal), sizeof(literal) - 1 }

/** Log levels, in increasing severity. */
#define WARDEN_LOG_TRACE 0
#define WARDEN_LOG_DEBUG 1
#define WARDEN_LOG_INFO 2
#define WARDEN_LOG_WARN 3
#define WARDEN_LOG_ERROR 4

/** Lifecycle phase of a worker state [WP-FSM-2]. Only RUNNING_HEALTHY is healthy. */
#define WARDEN_PHASE_STOPPED 1
#define WARDEN_PHASE_STARTING 2
#define WARDEN_PHASE_RUNNING_HEALTHY 3
#define WARDEN_PHASE_RUNNING_DEGRADED 4
#define WARDEN_PHASE_STOPPING 5

/** What a worker's `next` may ask of the supervisor besides a state or action. */
#define WARDEN_SIGNAL_NONE 0
#define WARDEN_SIGNAL_NEEDS_REMOVAL 1 /**< done stopping after a shutdown request: remove me */
#define WARDEN_SIGNAL_NEEDS_RESTART 2 /**< destroy and re-create me from scratch */

/** The state the config asks a worker to be in (`desired_state:` in warden.yaml). */
#define WARDEN_DESIRED_RUNNING 1
#define WARDEN_DESIRED_STOPPED 2

/** warden_snapshot.flags */
#define WARDEN_SNAPSHOT_SHUTDOWN_REQUESTED 0x1u /**< walk to stopped, then signal NEEDS_REMOVAL */

/* ------------------------------------------------------------------------ */
/* Opaque handles                                                            */
/* ------------------------------------------------------------------------ */

/**
 * Who is calling, as the host knows it: the plugin itself (given to init) or
 * one worker (given to create). Pass it back as the first argument of host
 * services; the host scopes, logs and audits by it.
 * OWNERSHIP: the host's. The plugin context lives until shutdown returns; a
 * worker context until that worker's destroy returns.
 */
typedef struct warden_host_ctx warden_host_ctx;

/** OWNERSHIP: the host's; valid only during the hook call it is passed to. */
typedef struct warden_json_sink warden_json_sink;

/** OWNERSHIP: the host's; valid only during the `next` call it is passed to. */
typedef struct warden_decision_sink warden_decision_sink;

/** OWNERSHIP: the host's; valid only during the hook call it is passed to. */
typedef struct warden_cancel warden_cancel;

/**
 * One worker, as the plugin represents it. The plugin defines the struct (or
 * casts its own pointer type to it); the host never looks inside.
 * OWNERSHIP: the plugin's; made by create, freed by destroy.
 */
typedef struct warden_worker warden_worker;

/**
 * Receives bytes the host hands to the plugin (a service name, a response
 * body). Called during the host service call that was given it, zero or more
 * times.
 * OWNERSHIP: `data` is the host's and valid only during this call; copy it.
 */
typedef void (*warden_receive_fn)(void *user, warden_str data);

/* ------------------------------------------------------------------------ */
/* Structs used by host services                                            */
/* ------------------------------------------------------------------------ */

/** warden_service_spec.flags */
#define WARDEN_SERVICE_START_DOWN 0x1u /**< create with a `down` file: do not start it */

/**
 * A file written into the service's data/ directory before it starts. The
 * process starts in the service directory (unless working_dir is set), so it
 * finds the file at data/<path>.
 */
typedef struct warden_service_file {
    uint32_t struct_size;
    warden_str path;    /**< relative to the service's data/ dir; no `..`, no leading `/` */
    warden_str content; /**< written exactly */
    uint32_t mode;      /**< permission bits; 0 = 0644 */
} warden_service_file;

/**
 * Everything the host needs to create (or update in place) one s6 service.
 * Zero fields take the defaults named beside them [WP-ABI-3].
 */
typedef struct warden_service_spec {
    uint32_t struct_size;
    uint32_t flags;         /**< WARDEN_SERVICE_* */
    warden_str name;        /**< must lie in the worker's scope [WP-SVC-1] */
    const warden_str *argv; /**< argv[0] is an absolute path; passed exactly, no shell */
    size_t argc;
    const warden_str *env; /**< "NAME=value" entries added to the environment */
    size_t env_count;
    warden_str working_dir;                  /**< empty = the service directory */
    const warden_service_file *const *files; /**< array of `file_count` pointers */
    size_t file_count;
    int32_t notification_fd; /**< readiness fd (>= 3); 0 = no readiness */
    int32_t down_signal;     /**< 0 = SIGTERM */
    /** SIGKILL this many ms after the down signal; 0 = 10000; UINT32_MAX = never. */
    uint32_t kill_timeout_ms;
    uint32_t log_max_files;      /**< s6-log archives kept; 0 = 10 */
    uint64_t log_max_file_bytes; /**< rotate at this size; 0 = 1000000 */
} warden_service_spec;

/** warden_service_status.flags */
#define WARDEN_SERVICE_EXISTS 0x01u      /**< the service directory is there */
#define WARDEN_SERVICE_SUPERVISED 0x02u  /**< an s6-supervise holds its lock */
#define WARDEN_SERVICE_UP 0x04u          /**< a process runs (not its finish script) */
#define WARDEN_SERVICE_READY 0x08u       /**< up and has signalled readiness */
#define WARDEN_SERVICE_WANT_UP 0x10u     /**< s6 will restart it when it dies */
#define WARDEN_SERVICE_NORMALLY_UP 0x20u /**< no `down` file */
#define WARDEN_SERVICE_FINISHING 0x40u   /**< its finish script runs */
#define WARDEN_SERVICE_DIED 0x80u        /**< a process ended: see last_exit_code, last_signal */

/**
 * One observation of a service. A service that does not exist is a valid
 * observation: flags without WARDEN_SERVICE_EXISTS, status WARDEN_OK.
 * Status without WARDEN_SERVICE_SUPERVISED is stale: nobody updates it.
 * The caller sets struct_size; the host writes only fields inside it.
 */
typedef struct warden_service_status {
    uint32_t struct_size;
    uint32_t flags;         /**< WARDEN_SERVICE_* */
    int64_t pid;            /**< 0 = no process */
    int64_t since_ns;       /**< unix time (ns) it went up, or down when down */
    int64_t ready_since_ns; /**< unix time (ns) it became ready; 0 = not ready */
    int32_t last_exit_code; /**< with WARDEN_SERVICE_DIED, no signal: how it exited */
    int32_t last_signal;    /**< with WARDEN_SERVICE_DIED: the signal that ended it; 0 = none */
    uint32_t restart_count; /**< deaths s6 recorded (death tally) */
} warden_service_status;

/** warden_host_services.service_control commands */
#define WARDEN_SERVICE_START 1         /**< up now (s6 `u`) */
#define WARDEN_SERVICE_STOP 2          /**< down now and kill its process group (s6 `d`) */
#define WARDEN_SERVICE_RESTART 3       /**< down-signal, s6 starts it again (s6 `r`) */
#define WARDEN_SERVICE_SIGNAL 4        /**< send `signal_number` to the process */
#define WARDEN_SERVICE_START_PERSIST 5 /**< up, and remove the `down` file (s6 `U`) */
#define WARDEN_SERVICE_STOP_PERSIST 6  /**< down, kill, and create the `down` file (s6 `D`) */

/** warden_host_services.service_remove flags */
#define WARDEN_SERVICE_REMOVE_LOGS 0x1u /**< also delete the service's logs */

/** A request to a service of the worker's own on the loopback interface. */
typedef struct warden_http_request {
    uint32_t struct_size;
    warden_str method;       /**< "GET" or "POST"; empty = "GET" */
    uint32_t port;           /**< on 127.0.0.1; 1..65535 */
    warden_str path;         /**< begins with '/', e.g. "/ready" */
    warden_str content_type; /**< of body; empty = none */
    warden_str body;         /**< empty for GET */
    uint32_t timeout_ms;     /**< 0 = host default; the host caps it */
} warden_http_request;

/** The caller sets struct_size; the host writes only fields inside it. */
typedef struct warden_http_response {
    uint32_t struct_size;
    int32_t status_code; /**< HTTP status, e.g. 200 */
} warden_http_response;

/**
 * A program the host runs to completion for a worker, e.g. a config checker
 * (ABI 1.2). It runs in a fresh private directory, its working directory,
 * into which `files` are written first (their paths are relative to it);
 * stdin is /dev/null; stdout and stderr are captured together. It inherits
 * the host's environment.
 */
typedef struct warden_command {
    uint32_t struct_size;
    const warden_str *argv; /**< argv[0] is an absolute path; passed exactly, no shell */
    size_t argc;
    const warden_service_file *const *files; /**< array of `file_count` pointers */
    size_t file_count;
    /** Killed (its process group) after this long; 0 = 10000; the host caps it at 60000. */
    uint32_t timeout_ms;
} warden_command;

/** How a command ended. The caller sets struct_size; the host writes only fields inside it. */
typedef struct warden_command_result {
    uint32_t struct_size;
    int32_t exit_code; /**< when `signal` is 0 */
    int32_t signal;    /**< the signal that ended it; 0 = it exited */
} warden_command_result;

/**
 * What `next` decided: a state XOR an action (or neither: stay), with a
 * reason a person can act on and a signal [WP-FSM-3].
 */
typedef struct warden_decision {
    uint32_t struct_size;
    warden_str state;  /**< non-empty: move to this declared state */
    warden_str action; /**< non-empty: run this declared action */
    warden_str reason; /**< why; shown in the worker's status */
    int32_t signal;    /**< WARDEN_SIGNAL_* */
} warden_decision;

/* ------------------------------------------------------------------------ */
/* Host services: implemented by the host, called by the plugin             */
/* ------------------------------------------------------------------------ */

/**
 * The host's side of the contract, passed to init [WP-HOST-1].
 *
 * OWNERSHIP: the host's; valid from init until shutdown returns. Never copy
 * the struct: keep the pointer.
 * THREADING: every service is thread-safe; call from any thread [WP-THR-5].
 * Error texts are per thread: set_error reports for the hook running on the
 * calling thread, last_service_error reads the calling thread's last failure.
 * A slot may be NULL (the host does not offer it) and a slot may lie beyond
 * struct_size (an older host): check both, with WARDEN_HAS_FIELD and != NULL.
 */
typedef struct warden_host_services {
    uint32_t struct_size;
    /** The host's ABI version, WARDEN_MAKE_ABI_VERSION(major, minor). */
    uint32_t abi_version;

    /**
     * Whether a message at `level` would be written; check it before formatting
     * an expensive message.
     * @param ctx the plugin or worker context
     * @param level a WARDEN_LOG_* level
     */
    bool (*log_enabled)(warden_host_ctx *ctx, int32_t level);

    /**
     * Write one line to the host's log, tagged with the plugin or worker
     * named by `ctx`. Control characters in `message` are escaped, so one
     * call is always one line.
     * OWNERSHIP: `message` is copied before this returns.
     */
    void (*log_write)(warden_host_ctx *ctx, int32_t level, warden_str message);

    /**
     * Say why the hook that is running fails. Call it on the thread that runs
     * the hook, before returning a non-zero status; the host reads it when the
     * hook returns and names the plugin, worker and hook beside it. A later
     * call replaces an earlier one.
     * OWNERSHIP: `message` is copied before this returns.
     */
    void (*set_error)(warden_host_ctx *ctx, warden_str message);

    /**
     * Why the last host service called on this thread failed: `on_text` is
     * called once with the text (empty when the last call succeeded).
     * THREADING: per thread; read it right after the failing call.
     */
    void (*last_service_error)(warden_host_ctx *ctx, warden_receive_fn on_text, void *user);

    /** Nanoseconds on a monotonic clock (CLOCK_MONOTONIC). */
    int64_t (*monotonic_ns)(void);

    /** Nanoseconds since the Unix epoch (CLOCK_REALTIME). */
    int64_t (*wall_ns)(void);

    /**
     * Append `text` to a JSON document the plugin hands to the host (desired
     * or observed state). The document is whole when the hook returns; the
     * host checks that it is one JSON object.
     * OWNERSHIP: `text` is copied before this returns.
     * @return WARDEN_OK, or WARDEN_ERR_INVALID_ARGUMENT when `sink` is NULL.
     */
    warden_status (*json_sink_write)(warden_json_sink *sink, warden_str text);

    /**
     * Hand the result of `next` to the host. Call at most once per `next`; not
     * calling it means "stay, nothing to say". A decision that names both a
     * state and an action, an undeclared state or an undeclared action is
     * refused (WARDEN_ERR_INVALID_ARGUMENT, error text set) and counts as a
     * plugin error whatever `next` returns [WP-FSM-3].
     * OWNERSHIP: every string in `decision` is copied before this returns.
     */
    warden_status (*decision_submit)(warden_decision_sink *sink, const warden_decision *decision);

    /** Whether the host asks the running hook to stop early [WP-THR-4]. */
    bool (*cancel_requested)(const warden_cancel *cancel);

    /** The monotonic time (ns) by which the running hook should return; INT64_MAX = none. */
    int64_t (*cancel_deadline_ns)(const warden_cancel *cancel);

    /*
     * Service operations on the host's s6 scan directory [WP-SVC-*]. Each is
     * scoped: a worker of type T named X may touch only services named `T-X`
     * or `T-X-*`; any other name returns WARDEN_ERR_NOT_PERMITTED. Each call
     * is logged in the host's audit stream. Call them from collect or execute,
     * never from next.
     *
     * A host that does not offer them leaves all five NULL; Warden's host
     * fills them from ABI 1.1 on [WP-ABI-1].
     */

    /**
     * Create the service, or update it in place when it exists with other
     * contents (files rewritten, process restarted, logs kept). The same spec
     * twice is a no-op that leaves the process running.
     * OWNERSHIP: `spec` and everything it points to are copied before this returns.
     */
    warden_status (*service_create)(warden_host_ctx *ctx, const warden_service_spec *spec);

    /**
     * Observe one service without spawning a process.
     * @param out set its struct_size first; the host fills the fields inside it.
     */
    warden_status (*service_observe)(warden_host_ctx *ctx, warden_str name,
                                     warden_service_status *out);

    /**
     * Send one WARDEN_SERVICE_* command and return when s6 has taken it. A
     * stop or restart also waits for the old process to end (its kill timeout
     * plus a few seconds at most, else WARDEN_ERR_TIMEOUT) and kills what it
     * left in its process group. `signal_number` is used only by
     * WARDEN_SERVICE_SIGNAL (the signals s6 forwards: ALRM ABRT QUIT HUP KILL
     * TERM INT USR1 USR2 STOP CONT WINCH; others are WARDEN_ERR_UNSUPPORTED).
     * WARDEN_ERR_NOT_SUPERVISED when no s6-supervise runs the service.
     */
    warden_status (*service_control)(warden_host_ctx *ctx, warden_str name, int32_t command,
                                     int32_t signal_number);

    /**
     * Stop the service and remove it, returning when no process, supervisor
     * or directory of it is left. Removing a service that is absent or
     * half-removed succeeds. Its logs are kept unless asked.
     * @param flags WARDEN_SERVICE_REMOVE_LOGS to delete its logs too.
     */
    warden_status (*service_remove)(warden_host_ctx *ctx, warden_str name, uint32_t flags);

    /**
     * List the caller's services whose names begin with `prefix` (which must
     * itself lie in the caller's scope): `on_name` is called once per name.
     */
    warden_status (*service_list)(warden_host_ctx *ctx, warden_str prefix,
                                  warden_receive_fn on_name, void *user);

    /**
     * One HTTP request to 127.0.0.1. A connection refused or a timeout is
     * WARDEN_ERR_NOT_FOUND or WARDEN_ERR_TIMEOUT with the error text set; any
     * HTTP answer, 5xx included, is WARDEN_OK with its status code.
     * The body arrives through `on_body`, in one or more pieces.
     *
     * Scoped like the service operations: only to a port the calling worker
     * holds (port_reserve; any other is WARDEN_ERR_NOT_PERMITTED), logged in
     * the audit stream, with a timeout the host caps (default 2000 ms, at
     * most 10000 ms) [WP-HTTP-1].
     * Warden's host fills it from ABI 1.2 on.
     */
    warden_status (*http_probe)(warden_host_ctx *ctx, const warden_http_request *request,
                                warden_http_response *response, warden_receive_fn on_body,
                                void *user);

    /* ---- ABI 1.2: check struct_size (WARDEN_HAS_FIELD) before using these. ---- */

    /**
     * Reserve a TCP port on 127.0.0.1 for one use (`purpose`, e.g. "http") of
     * the calling worker [WP-PORT-1]. `requested` = 0 asks the host to choose
     * a free port from its range; otherwise that port is reserved. The same
     * worker and purpose get the same port on every call and across host
     * restarts; a port is never reserved for two workers: a port another
     * worker holds is WARDEN_ERR_CONFLICT, with an error text naming it. A
     * worker's reservations end when it is removed from the config.
     * @param purpose [a-z][a-z0-9_]{0,31}
     * @param out_port set to the reserved port on success.
     */
    warden_status (*port_reserve)(warden_host_ctx *ctx, warden_str purpose, uint32_t requested,
                                  uint32_t *out_port);

    /**
     * Read the last lines of one of the caller's services' log (what s6-log
     * wrote to its `current` file), oldest first [WP-LOG-1]. `on_line` is
     * called once per line, without the newline, each line as s6-log wrote
     * it (with its timestamp). A service without log lines yet is WARDEN_OK
     * with no call. Scoped like the service operations [WP-SVC-1].
     * @param max_lines 0 = 100; the host caps it at 1000 lines and 256 KiB.
     */
    warden_status (*service_log_read)(warden_host_ctx *ctx, warden_str name, uint32_t max_lines,
                                      warden_receive_fn on_line, void *user);

    /**
     * Run `command` to completion [WP-CMD-1]: WARDEN_OK when it ran, whatever
     * its exit code (see `result`); WARDEN_ERR_NOT_FOUND when argv[0] cannot
     * be run; WARDEN_ERR_TIMEOUT when it outlived its timeout, and
     * WARDEN_ERR_CANCELLED when `cancel` asked (it is killed either way). Its
     * output (stdout and stderr, at most the first 64 KiB) arrives through
     * `on_output`, in one or more pieces. Logged in the audit stream. Call it
     * from execute or check_config, never from next.
     * @param cancel the running hook's cancel token, or NULL.
     * @param result set its struct_size first; the host fills the fields inside it.
     */
    warden_status (*command_run)(warden_host_ctx *ctx, const warden_command *command,
                                 const warden_cancel *cancel, warden_command_result *result,
                                 warden_receive_fn on_output, void *user);
} warden_host_services;

/* ------------------------------------------------------------------------ */
/* Worker types: implemented by the plugin, called by the host              */
/* ------------------------------------------------------------------------ */

/** One state of a worker type's state machine [WP-FSM-1]. */
typedef struct warden_state_info {
    uint32_t struct_size;
    warden_str name;        /**< unique within the type, [a-z][a-z0-9_]{0,31} */
    int32_t phase;          /**< WARDEN_PHASE_* */
    warden_str description; /**< one line for people; may be empty */
} warden_state_info;

/** One action a worker type's `next` may ask for [WP-FSM-4]. */
typedef struct warden_action_info {
    uint32_t struct_size;
    warden_str name;     /**< unique within the type, [a-z][a-z0-9_]{0,31} */
    uint32_t timeout_ms; /**< the host cancels it after this long; 0 = 30000 */
    warden_str description;
} warden_action_info;

/** Who a worker is. OWNERSHIP: the host's; valid during the call it is passed to. */
typedef struct warden_identity {
    uint32_t struct_size;
    warden_str type;       /**< the worker type's name */
    warden_str name;       /**< the worker's name from the config, [a-z0-9][a-z0-9_-]{0,63} */
    int64_t created_at_ns; /**< unix time (ns) the host created this worker */
} warden_identity;

/**
 * Everything a worker knows at one moment: who it is, what it should be, what
 * it was last seen to be, and what its last action did [WP-FSM-1].
 * OWNERSHIP: the host's; every pointer in it is valid only during the call.
 */
typedef struct warden_snapshot {
    uint32_t struct_size;
    const warden_identity *identity;
    warden_str state;         /**< the current state's name */
    int64_t state_since_ns;   /**< monotonic time it entered that state */
    int64_t now_ns;           /**< monotonic time of this call */
    int32_t desired_state;    /**< WARDEN_DESIRED_* from the config */
    uint32_t flags;           /**< WARDEN_SNAPSHOT_* */
    warden_str desired_json;  /**< what derive_desired_state produced */
    warden_str observed_json; /**< what collect produced last; empty = nothing yet */
    int64_t observed_at_ns;   /**< monotonic time of that collect; 0 = nothing yet */
    warden_str last_action;   /**< name of the last finished action; empty = none */
    warden_status last_action_status;
    warden_str last_action_error; /**< its error text when it failed */
    int64_t last_action_finished_ns;
} warden_snapshot;

/**
 * Make one worker [WP-LIFE-2].
 * @param ctx the worker's context: keep it, pass it to host services.
 * @param identity who the worker is (copy what you keep).
 * @param out_worker set to the new worker on success.
 * OWNERSHIP: *out_worker becomes the plugin's object, freed by destroy.
 * THREADING: never overlaps any other hook of the same worker.
 */
typedef warden_status (*warden_worker_create_fn)(warden_host_ctx *ctx,
                                                 const warden_identity *identity,
                                                 warden_worker **out_worker);

/**
 * Free one worker. Its context is invalid once this returns.
 * THREADING: never overlaps any other hook of the same worker.
 */
typedef void (*warden_worker_destroy_fn)(warden_worker *worker);

/**
 * Turn a worker's config (the `config:` block, as JSON text) into its desired
 * state (a JSON object). A pure function of its inputs: it may be called with
 * no worker made (as by `warden --check-config`). A bad config returns
 * WARDEN_ERR_INVALID_ARGUMENT with set_error naming the key and the problem.
 * OWNERSHIP: the output is copied by the host as it is written to `out`.
 * The context is valid only during this call.
 * THREADING: may run on any thread, concurrently with any hook: it touches no
 * worker.
 */
typedef warden_status (*warden_worker_derive_desired_fn)(warden_host_ctx *ctx,
                                                         const warden_identity *identity,
                                                         warden_str config_json,
                                                         warden_json_sink *out);

/**
 * Observe the world: write one JSON object describing what the worker's
 * services are doing. A service that is down is a valid observation, not an
 * error. Blocking I/O is allowed; honour `cancel`.
 * THREADING: never overlaps another collect of the same worker; may run while
 * next or execute_action run [WP-THR-1].
 */
typedef warden_status (*warden_worker_collect_fn)(warden_worker *worker,
                                                  const warden_snapshot *snapshot,
                                                  const warden_cancel *cancel,
                                                  warden_json_sink *out);

/**
 * Decide from the snapshot alone: submit a state XOR an action, a reason and
 * a signal through `out`. Pure: no I/O, no blocking, no host services but
 * logging and decision_submit [WP-FSM-3].
 * THREADING: never overlaps another next of the same worker; may run while
 * collect or execute_action run [WP-THR-2].
 */
typedef warden_status (*warden_worker_next_fn)(warden_worker *worker,
                                               const warden_snapshot *snapshot,
                                               warden_decision_sink *out);

/**
 * Run one declared action. Actions are idempotent: the host may run one again
 * when the next decision asks for it again. Return when `cancel` asks.
 * THREADING: never overlaps another execute_action of the same worker; may
 * run while collect or next run [WP-THR-3].
 */
typedef warden_status (*warden_worker_execute_fn)(warden_worker *worker, warden_str action,
                                                  const warden_snapshot *snapshot,
                                                  const warden_cancel *cancel);

/**
 * Optional (ABI 1.2): check a worker's desired state the way deploying it
 * would, with I/O allowed: run the program's own config check through
 * command_run, reserve ports. `warden --check-config` calls it for every
 * worker after derive_desired_state, with no worker made and port
 * reservations that are not kept. A bad config returns
 * WARDEN_ERR_INVALID_ARGUMENT (or WARDEN_ERR_CONFLICT) with set_error
 * saying why [WP-FSM-7].
 * THREADING: may run on any thread; it touches no worker.
 */
typedef warden_status (*warden_worker_check_config_fn)(warden_host_ctx *ctx,
                                                       const warden_identity *identity,
                                                       warden_str desired_json,
                                                       const warden_cancel *cancel);

/**
 * A kind of worker a plugin offers [WP-TYPE-1]. The hooks up to
 * execute_action are required.
 * OWNERSHIP: the plugin's, static and constant: it must outlive the plugin's
 * shutdown.
 */
typedef struct warden_worker_type {
    uint32_t struct_size;
    warden_str name;                        /**< [a-z][a-z0-9_]{0,31}, unique across all plugins */
    warden_str description;                 /**< one line for people; may be empty */
    const warden_state_info *const *states; /**< array of `state_count` pointers */
    uint32_t state_count;                   /**< at least 1 */
    warden_str initial_state;               /**< one of `states` */
    const warden_action_info *const *actions; /**< array of `action_count` pointers */
    uint32_t action_count;
    warden_worker_create_fn create;
    warden_worker_destroy_fn destroy;
    warden_worker_derive_desired_fn derive_desired_state;
    warden_worker_collect_fn collect_observed_state;
    warden_worker_next_fn next;
    warden_worker_execute_fn execute_action;
    /* ABI 1.2 */
    warden_worker_check_config_fn check_config; /**< NULL = nothing beyond derive */
} warden_worker_type;

/* ------------------------------------------------------------------------ */
/* The plugin table                                                          */
/* ------------------------------------------------------------------------ */

/**
 * Set the plugin up; called once, after the host accepted the table and
 * before any other hook [WP-LIFE-1]. A non-zero status refuses the plugin
 * (say why with set_error); it is then not shut down, so release what init
 * took before returning.
 * @param host the host services; keep the pointer, valid until shutdown returns.
 * @param ctx the plugin's context for host services.
 * THREADING: runs alone.
 */
typedef warden_status (*warden_plugin_init_fn)(const warden_host_services *host,
                                               warden_host_ctx *ctx);

/**
 * Release everything; called once, after every worker of the plugin was
 * destroyed. Threads the plugin started must have ended when it returns.
 * THREADING: runs alone.
 */
typedef void (*warden_plugin_shutdown_fn)(void);

/**
 * What a plugin is and offers. The first six fields never move [WP-ABI-2].
 * OWNERSHIP: the plugin's, static and constant for the life of the process.
 */
typedef struct warden_plugin {
    uint32_t magic;          /**< WARDEN_PLUGIN_MAGIC */
    uint32_t struct_size;    /**< sizeof(warden_plugin) as the plugin was built */
    uint32_t abi_version;    /**< WARDEN_ABI_VERSION the plugin was built with */
    uint32_t min_host_minor; /**< oldest host minor version (same major) it works with */
    warden_str name;         /**< the plugin's name, for people and logs */
    warden_str version;      /**< the plugin's own version, e.g. "1.4.2" */
    const warden_worker_type *const *worker_types; /**< array of pointers */
    uint32_t worker_type_count;
    warden_plugin_init_fn init;         /**< NULL = nothing to set up */
    warden_plugin_shutdown_fn shutdown; /**< NULL = nothing to release */
} warden_plugin;

/**
 * The one symbol a plugin exports [WP-LOAD-1]. Called once, right after the
 * library is loaded; it must do no other work.
 * @param host_abi_version the host's WARDEN_ABI_VERSION, so the plugin may
 *        choose a table or refuse.
 * @return the plugin's static table, or NULL to refuse this host.
 * THREADING: runs alone.
 */
WARDEN_PLUGIN_EXPORT const warden_plugin *warden_plugin_entry(uint32_t host_abi_version);

typedef const warden_plugin *(*warden_plugin_entry_fn)(uint32_t host_abi_version);

/* ------------------------------------------------------------------------ */
/* Helpers                                                                   */
/* ------------------------------------------------------------------------ */

/**
 * Whether the struct at `ptr` (of `type`, with its struct_size set by whoever
 * made it) is large enough to hold `field` [WP-ABI-3].
 */
#define WARDEN_HAS_FIELD(ptr, type, field) \
    ((ptr)->struct_size >= offsetof(type, field) + sizeof(((type *)0)->field))

/** A zeroed `type` with its struct_size set: `warden_service_status s =
 * WARDEN_INIT(warden_service_status);` */
#ifdef __cplusplus
#define WARDEN_INIT(type) (warden_struct_init<type>())
#else
#define WARDEN_INIT(type) \
    { .struct_size = sizeof(type) }
#endif

/** Makes a warden_str from a NUL-terminated string (NULL gives the empty string). */
static inline warden_str warden_str_from_cstr(const char *cstr) {
    warden_str s;
    size_t len = 0;
    if (cstr != NULL) {
        while (cstr[len] != '\0') {
            ++len;
        }
    }
    s.ptr = cstr;
    s.len = len;
    return s;
}

/** A short name for a status code, e.g. "not permitted". Never NULL. */
static inline const char *warden_status_name(warden_status status) {
    switch (status) {
        case WARDEN_OK: return "ok";
        case WARDEN_ERR: return "error";
        case WARDEN_ERR_INVALID_ARGUMENT: return "invalid argument";
        case WARDEN_ERR_NOT_FOUND: return "not found";
        case WARDEN_ERR_NOT_PERMITTED: return "not permitted";
        case WARDEN_ERR_UNSUPPORTED: return "unsupported";
        case WARDEN_ERR_TIMEOUT: return "timeout";
        case WARDEN_ERR_CANCELLED: return "cancelled";
        case WARDEN_ERR_NOT_SUPERVISED: return "not supervised";
        case WARDEN_ERR_CONFLICT: return "conflict";
        default: return "unknown status";
    }
}

#ifdef __cplusplus
} /* extern "C" */

/* C++ only: the value behind WARDEN_INIT. */
template <typename T>
constexpr T warden_struct_init() noexcept {
    T value{};
    value.struct_size = static_cast<uint32_t>(sizeof(T));
    return value;
}
#endif

#endif /* WARDEN_PLUGIN_H */
