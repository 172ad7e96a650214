/* SPDX-License-Identifier: Apache-2.0 */
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
 *        needs them sets min_host_minor = 2. Later, with no ABI change: the
 *        WARDEN_MAX_* / WARDEN_DEFAULT_* macros [WP-LIM-1], and names of their
 *        own for the four value families that shared WARDEN_SERVICE_*, those
 *        names kept as aliases [WP-ABI-7].
 *   1.3  The HTTP probe takes PUT, with a body, as it takes POST [WP-HTTP-1].
 *        No struct changed. A plugin that sends PUT sets min_host_minor = 3:
 *        a 1.2 host refuses PUT with WARDEN_ERR_UNSUPPORTED, as it always
 *        refused methods it does not know.
 *   1.4  Services run as a chosen user and group [WP-SVC-3]. Appended to
 *        warden_service_spec: user, group. Appended host service:
 *        service_account (with warden_service_account and its
 *        WARDEN_ACCOUNT_* flags). A 1.3 host reads no field past a 1.3
 *        spec and knows nothing of user and group: a plugin that sets them
 *        needs a 1.4 host (min_host_minor = 4, or a check of the host's
 *        version; the C++ wrapper refuses them on an older host).
 *   1.5  Workers publish figures of their own [WP-FIG-1]. Appended host
 *        service: figure_publish (with warden_figure, its WARDEN_FIGURE_*
 *        kinds and the WARDEN_MAX_FIGURE_* limits). No other struct
 *        changed. A 1.4 host has no such slot: a plugin that publishes
 *        checks it (WARDEN_HAS_FIELD and != NULL, or the host's version;
 *        the C++ wrapper's publish_figure refuses on an older host) or sets
 *        min_host_minor = 5.
 *
 * Values a side does not know: a host refuses a flag bit, command or signal
 * it does not know with WARDEN_ERR_UNSUPPORTED (it never ignores a request);
 * a plugin ignores flag bits it does not know in what the host hands it
 * [WP-ABI-6].
 *
 * Threading, in one place [WP-THR-*]: the host runs hooks on threads of its
 * own choosing, and hooks of different workers run concurrently, each
 * worker's own rules aside: for one worker, collect_observed_state never
 * overlaps another collect, next never overlaps another next, execute_action
 * never overlaps another execute_action, and create and destroy overlap
 * nothing of that worker. derive_desired_state and check_config touch no
 * worker and run concurrently with anything. Every host service is
 * thread-safe. A warden_receive_fn runs on the thread that called the host
 * service, before that call returns.
 *
 * Limits and defaults: every bound the host applies to what a plugin hands
 * it, and every default it gives a zero field, is a WARDEN_MAX_* (or
 * WARDEN_MIN_*) or WARDEN_DEFAULT_* macro below [WP-LIM-1]. The host and the
 * SDK's fake host use these macros, not numbers of their own.
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
#define WARDEN_ABI_VERSION_MINOR 5
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
/* Limits and defaults [WP-LIM-1]                                            */
/* ------------------------------------------------------------------------ */

/*
 * What the host accepts from a plugin and what it gives a zero field, as
 * numbers: the host and the SDK's fake host use these macros. Bytes are
 * counted before any escaping; "ms" are milliseconds.
 */

/* Documents and texts. */

/** Largest desired or observed JSON document; json_sink_write refuses more [WP-FSM-1]. */
#define WARDEN_MAX_JSON_BYTES (4u * 1024u * 1024u)
/** Deepest nesting of objects and arrays in a document, its outer object included. */
#define WARDEN_MAX_JSON_DEPTH 128u
/** log_write logs at most this much of a message, set_error keeps this much of its text. */
#define WARDEN_MAX_TEXT_BYTES 4096u
/** The host keeps at most this much of a decision's reason [WP-FSM-3]. */
#define WARDEN_MAX_REASON_BYTES 2048u

/* The plugin table [WP-ABI-2, WP-TYPE-1]. */

/** Worker type, state, action and port purpose names: [a-z][a-z0-9_]{0,31}. */
#define WARDEN_MAX_NAME_BYTES 32u
/** Worker and service names: [a-z0-9][a-z0-9_-]{0,63} [WP-SVC-1]. */
#define WARDEN_MAX_SERVICE_NAME_BYTES 64u
/** A plugin's name and its version: printable ASCII without spaces. */
#define WARDEN_MAX_LABEL_BYTES 128u
/** The description of a worker type, state or action. */
#define WARDEN_MAX_DESCRIPTION_BYTES 1024u
/** Worker types of one plugin. */
#define WARDEN_MAX_WORKER_TYPES 256u
/** States of one worker type. */
#define WARDEN_MAX_STATES 256u
/** Actions of one worker type. */
#define WARDEN_MAX_ACTIONS 256u

/* Hooks [WP-FSM-4, WP-FSM-6, WP-FSM-7]. */

/** The timeout of an action that declares 0. */
#define WARDEN_DEFAULT_ACTION_TIMEOUT_MS 30000u
/** check_config's deadline (cancel_deadline_ns) lies this far after the call. */
#define WARDEN_MAX_CHECK_CONFIG_MS 60000u
/*
 * The supervisor's clocks: the defaults of the host's config file (its
 * `supervisor:` block), which may set others.
 */
/** Each worker is observed (collect) this often ... */
#define WARDEN_DEFAULT_OBSERVATION_INTERVAL_MS 1000u
/** ... and this often once it has settled. */
#define WARDEN_DEFAULT_IDLE_OBSERVATION_INTERVAL_MS 4000u
/** A collect running longer is cancelled; its cancel deadline. */
#define WARDEN_DEFAULT_COLLECT_TIMEOUT_MS 5000u
/** An older observation is stale: the worker is not asked to decide. */
#define WARDEN_DEFAULT_STALE_AFTER_MS 10000u
/** An older observation restarts the worker's collector ... */
#define WARDEN_DEFAULT_COLLECTOR_TIMEOUT_MS 20000u
/** ... and after this many restarts in a row the worker is asked to shut down. */
#define WARDEN_DEFAULT_COLLECTOR_RESTARTS 3u
/**
 * What failed (a next, an action, a collector) is tried again after this
 * long, twice as long after each further failure in a row, ...
 */
#define WARDEN_MIN_RETRY_DELAY_MS 1000u
/** ... up to this long. */
#define WARDEN_MAX_RETRY_DELAY_MS 60000u

/* Services (warden_service_spec) [WP-SVC-2]. */

/** down_signal = 0: SIGTERM. */
#define WARDEN_DEFAULT_DOWN_SIGNAL 15
/** kill_timeout_ms = 0: SIGKILL this long after the down signal. */
#define WARDEN_DEFAULT_KILL_TIMEOUT_MS 10000u
/** log_max_files = 0: s6-log keeps this many archived files ... */
#define WARDEN_DEFAULT_LOG_FILES 10u
/** ... and at most this many. */
#define WARDEN_MAX_LOG_FILES 1000u
/** log_max_file_bytes = 0: s6-log rotates at this size ... */
#define WARDEN_DEFAULT_LOG_FILE_BYTES 1000000u
/** ... which must lie from this ... */
#define WARDEN_MIN_LOG_FILE_BYTES 4096u
/** ... to this (s6-log's own limits). */
#define WARDEN_MAX_LOG_FILE_BYTES 268435455u
/** warden_service_file.mode = 0, for services and commands. */
#define WARDEN_DEFAULT_FILE_MODE 0644u
/** The path of a service's or a command's file. */
#define WARDEN_MAX_FILE_PATH_BYTES 255u
/** A notification_fd other than 0 lies from this ... */
#define WARDEN_MIN_NOTIFICATION_FD 3
/** ... to this. */
#define WARDEN_MAX_NOTIFICATION_FD 1023
/**
 * A spec's user name (ABI 1.4) is 1 to this many bytes of the POSIX portable
 * set [A-Za-z0-9._-], not beginning with '-' and not all digits: a name,
 * never a numeric id [WP-SVC-3] ...
 */
#define WARDEN_MAX_USER_NAME_BYTES 32u
/** ... and its group name, by the same rule, 1 to this many bytes. */
#define WARDEN_MAX_GROUP_NAME_BYTES 32u

/* Service logs [WP-LOG-1]. */

/** service_log_read with max_lines = 0 hands over this many lines ... */
#define WARDEN_DEFAULT_LOG_LINES 100u
/** ... and never more than this many ... */
#define WARDEN_MAX_LOG_LINES 1000u
/** ... read from at most this much of the end of the log. */
#define WARDEN_MAX_LOG_READ_BYTES (256u * 1024u)

/* The HTTP probe [WP-HTTP-1]. */

/** timeout_ms = 0 ... */
#define WARDEN_DEFAULT_HTTP_TIMEOUT_MS 2000u
/** ... and the longest a probe waits, whatever it asks. */
#define WARDEN_MAX_HTTP_TIMEOUT_MS 10000u
/** A request's path. */
#define WARDEN_MAX_HTTP_PATH_BYTES 4096u
/** A request's content type. */
#define WARDEN_MAX_HTTP_CONTENT_TYPE_BYTES 256u
/** An answer's body; a longer one fails the probe (WARDEN_ERR). */
#define WARDEN_MAX_HTTP_BODY_BYTES (4u * 1024u * 1024u)

/* Ports [WP-PORT-1]. */

/** port_reserve with requested = 0 chooses from this port ... */
#define WARDEN_DEFAULT_PORT_RANGE_FIRST 24000u
/** ... to this one. */
#define WARDEN_DEFAULT_PORT_RANGE_LAST 24999u

/* Commands [WP-CMD-1]. */

/** warden_command.timeout_ms = 0 ... */
#define WARDEN_DEFAULT_COMMAND_TIMEOUT_MS 10000u
/** ... and the longest a command runs, whatever it asks. */
#define WARDEN_MAX_COMMAND_TIMEOUT_MS 60000u
/** A command's output handed over (stdout and stderr together); the rest is dropped. */
#define WARDEN_MAX_COMMAND_OUTPUT_BYTES (64u * 1024u)

/* Figures a worker publishes (ABI 1.5) [WP-FIG-1]. */

/** Series (a name and a label value) one worker publishes at most. */
#define WARDEN_MAX_FIGURES_PER_WORKER 32u
/** A figure's name: [a-z][a-z0-9_]{0,47}. A label name is a WARDEN_MAX_NAME_BYTES name. */
#define WARDEN_MAX_FIGURE_NAME_BYTES 48u
/** A figure's help text: one line of UTF-8 without control characters or backslashes. */
#define WARDEN_MAX_FIGURE_HELP_BYTES 256u
/** The value of a figure's label: UTF-8 without control characters. */
#define WARDEN_MAX_FIGURE_LABEL_VALUE_BYTES 64u

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
 * Receives bytes the host hands to the plugin (a service name, a log line, a
 * response body, a command's output, an error text). Called zero or more
 * times during the host service call that was given it, never after it
 * returned [WP-OWN-2].
 * OWNERSHIP: `data` is the host's and valid only during this call; copy it.
 * THREADING: runs on the thread that called the host service, with no lock
 * of the host held. It may call host services, with any context; the call it
 * runs in sets the thread's last_service_error only after the callback
 * returns, so what that call reports is its own outcome. It must not unwind
 * (no C++ exception, no longjmp) through the host's frames.
 */
typedef void (*warden_receive_fn)(void *user, warden_str data);

/* ------------------------------------------------------------------------ */
/* Structs used by host services                                            */
/* ------------------------------------------------------------------------ */

/*
 * Four families of values belong to the service operations [WP-ABI-7]:
 * WARDEN_SPEC_* (warden_service_spec.flags), WARDEN_STATUS_*
 * (warden_service_status.flags), WARDEN_CONTROL_* (service_control's
 * commands) and WARDEN_REMOVE_* (service_remove's flags). They used to share
 * the WARDEN_SERVICE_ prefix; those names stay, as aliases with the same
 * values (after the service_remove flags).
 */

/** warden_service_spec.flags */
#define WARDEN_SPEC_START_DOWN 0x1u /**< create with a `down` file: do not start it */

/**
 * A file written into the service's data/ directory before it starts. The
 * process starts in the service directory (unless working_dir is set), so it
 * finds the file at data/<path>.
 */
typedef struct warden_service_file {
    uint32_t struct_size;
    warden_str path;    /**< relative to the service's data/ dir; no `..`, no leading `/` */
    warden_str content; /**< written exactly */
    uint32_t mode;      /**< permission bits; 0 = WARDEN_DEFAULT_FILE_MODE (0644) */
} warden_service_file;

/**
 * Everything the host needs to create (or update in place) one s6 service.
 * Zero fields take the defaults named beside them [WP-ABI-3].
 */
typedef struct warden_service_spec {
    uint32_t struct_size;
    uint32_t flags;         /**< WARDEN_SPEC_* */
    warden_str name;        /**< must lie in the worker's scope [WP-SVC-1] */
    const warden_str *argv; /**< argv[0] is an absolute path; passed exactly, no shell */
    size_t argc;
    const warden_str *env; /**< "NAME=value" entries added to the environment */
    size_t env_count;
    warden_str working_dir;                  /**< empty = the service directory */
    const warden_service_file *const *files; /**< array of `file_count` pointers */
    size_t file_count;
    int32_t notification_fd; /**< readiness fd, 3 to 1023; 0 = no readiness */
    int32_t down_signal;     /**< 0 = WARDEN_DEFAULT_DOWN_SIGNAL (SIGTERM) */
    /**
     * SIGKILL this many ms after the down signal; 0 = WARDEN_DEFAULT_KILL_TIMEOUT_MS
     * (10000); UINT32_MAX = never.
     */
    uint32_t kill_timeout_ms;
    /** s6-log archives kept, at most 1000; 0 = WARDEN_DEFAULT_LOG_FILES (10) */
    uint32_t log_max_files;
    /** Rotate at this size, 4096 to 268435455; 0 = WARDEN_DEFAULT_LOG_FILE_BYTES (1000000) */
    uint64_t log_max_file_bytes;
    /* ABI 1.4: a host reads these only within struct_size [WP-ABI-3]. */
    /**
     * The user the process runs as [WP-SVC-3]: a name (never a numeric id),
     * 1 to WARDEN_MAX_USER_NAME_BYTES (32) of [A-Za-z0-9._-], not beginning
     * with '-', that exists on the machine. Empty = the host's default
     * service user (warden.yaml's `service_user`), and with none, the user
     * s6-svscan runs as (the host's). Any other user than the host's own
     * needs a host running as root.
     */
    warden_str user;
    /**
     * The group it runs with: a name by the same rule, at most
     * WARDEN_MAX_GROUP_NAME_BYTES (32). Empty = the user's primary group.
     */
    warden_str group;
} warden_service_spec;

/** warden_service_status.flags */
#define WARDEN_STATUS_EXISTS 0x01u      /**< the service directory is there */
#define WARDEN_STATUS_SUPERVISED 0x02u  /**< an s6-supervise holds its lock */
#define WARDEN_STATUS_UP 0x04u          /**< a process runs (not its finish script) */
#define WARDEN_STATUS_READY 0x08u       /**< up and has signalled readiness */
#define WARDEN_STATUS_WANT_UP 0x10u     /**< s6 will restart it when it dies */
#define WARDEN_STATUS_NORMALLY_UP 0x20u /**< no `down` file */
#define WARDEN_STATUS_FINISHING 0x40u   /**< its finish script runs */
#define WARDEN_STATUS_DIED 0x80u        /**< a process ended: see last_exit_code, last_signal */

/**
 * One observation of a service. A service that does not exist is a valid
 * observation: flags without WARDEN_STATUS_EXISTS, status WARDEN_OK.
 * Status without WARDEN_STATUS_SUPERVISED is stale: nobody updates it.
 * The caller sets struct_size; the host writes only fields inside it.
 */
typedef struct warden_service_status {
    uint32_t struct_size;
    uint32_t flags;         /**< WARDEN_STATUS_* */
    int64_t pid;            /**< 0 = no process */
    int64_t since_ns;       /**< unix time (ns) it went up, or down when down */
    int64_t ready_since_ns; /**< unix time (ns) it became ready; 0 = not ready */
    int32_t last_exit_code; /**< with WARDEN_STATUS_DIED, no signal: how it exited */
    int32_t last_signal;    /**< with WARDEN_STATUS_DIED: the signal that ended it; 0 = none */
    uint32_t restart_count; /**< deaths s6 recorded (death tally) */
} warden_service_status;

/** warden_host_services.service_control commands */
#define WARDEN_CONTROL_START 1         /**< up now (s6 `u`) */
#define WARDEN_CONTROL_STOP 2          /**< down now and kill its process group (s6 `d`) */
#define WARDEN_CONTROL_RESTART 3       /**< down-signal, s6 starts it again (s6 `r`) */
#define WARDEN_CONTROL_SIGNAL 4        /**< send `signal_number` to the process */
#define WARDEN_CONTROL_START_PERSIST 5 /**< up, and remove the `down` file (s6 `U`) */
#define WARDEN_CONTROL_STOP_PERSIST 6  /**< down, kill, and create the `down` file (s6 `D`) */

/** warden_host_services.service_remove flags */
#define WARDEN_REMOVE_LOGS 0x1u /**< also delete the service's logs */

/* The earlier names of the four families above: aliases, same values. */
#define WARDEN_SERVICE_START_DOWN WARDEN_SPEC_START_DOWN
#define WARDEN_SERVICE_EXISTS WARDEN_STATUS_EXISTS
#define WARDEN_SERVICE_SUPERVISED WARDEN_STATUS_SUPERVISED
#define WARDEN_SERVICE_UP WARDEN_STATUS_UP
#define WARDEN_SERVICE_READY WARDEN_STATUS_READY
#define WARDEN_SERVICE_WANT_UP WARDEN_STATUS_WANT_UP
#define WARDEN_SERVICE_NORMALLY_UP WARDEN_STATUS_NORMALLY_UP
#define WARDEN_SERVICE_FINISHING WARDEN_STATUS_FINISHING
#define WARDEN_SERVICE_DIED WARDEN_STATUS_DIED
#define WARDEN_SERVICE_START WARDEN_CONTROL_START
#define WARDEN_SERVICE_STOP WARDEN_CONTROL_STOP
#define WARDEN_SERVICE_RESTART WARDEN_CONTROL_RESTART
#define WARDEN_SERVICE_SIGNAL WARDEN_CONTROL_SIGNAL
#define WARDEN_SERVICE_START_PERSIST WARDEN_CONTROL_START_PERSIST
#define WARDEN_SERVICE_STOP_PERSIST WARDEN_CONTROL_STOP_PERSIST
#define WARDEN_SERVICE_REMOVE_LOGS WARDEN_REMOVE_LOGS

/** warden_service_account.flags */
#define WARDEN_ACCOUNT_SWITCHED 0x1u /**< the host switches the process to this account */

/**
 * Who a service's process runs as on this host (ABI 1.4): what
 * service_account answers [WP-SVC-3]. Without WARDEN_ACCOUNT_SWITCHED the
 * process runs as the host's own user and group (s6-svscan's), and uid and
 * gid are the host's.
 * The caller sets struct_size; the host writes only fields inside it.
 */
typedef struct warden_service_account {
    uint32_t struct_size;
    uint32_t flags; /**< WARDEN_ACCOUNT_* */
    uint32_t uid;   /**< the user id the process runs with */
    uint32_t gid;   /**< the group id it runs with: the group's, or the user's primary group */
} warden_service_account;

/** A request to a service of the worker's own on the loopback interface. */
typedef struct warden_http_request {
    uint32_t struct_size;
    /** "GET", "POST" or, from ABI 1.3, "PUT" (case-sensitive); empty = "GET" */
    warden_str method;
    uint32_t port;           /**< on 127.0.0.1; 1..65535 */
    warden_str path;         /**< begins with '/', e.g. "/ready"; at most 4096 bytes */
    warden_str content_type; /**< of body; empty = none; at most 256 bytes */
    warden_str body;         /**< sent with POST or PUT; must be empty for GET */
    /** 0 = WARDEN_DEFAULT_HTTP_TIMEOUT_MS (2000); at most WARDEN_MAX_HTTP_TIMEOUT_MS (10000) */
    uint32_t timeout_ms;
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
    /**
     * Killed (its process group) after this long; 0 = WARDEN_DEFAULT_COMMAND_TIMEOUT_MS
     * (10000); at most WARDEN_MAX_COMMAND_TIMEOUT_MS (60000).
     */
    uint32_t timeout_ms;
} warden_command;

/** How a command ended. The caller sets struct_size; the host writes only fields inside it. */
typedef struct warden_command_result {
    uint32_t struct_size;
    int32_t exit_code; /**< when `signal` is 0 */
    int32_t signal;    /**< the signal that ended it; 0 = it exited */
} warden_command_result;

/** warden_figure.kind (ABI 1.5) */
#define WARDEN_FIGURE_GAUGE 1   /**< a reading that goes up and down: the latest one */
#define WARDEN_FIGURE_COUNTER 2 /**< a total that only grows while its process runs */

/**
 * One figure of a worker (ABI 1.5): the current value of one series, which
 * the host exports as `warden_plugin_<type>_<name>` with the labels `type`
 * and `worker`, and the figure's own label when it has one [WP-FIG-1].
 * Within one worker type a name keeps one kind, one help and one label name.
 */
typedef struct warden_figure {
    uint32_t struct_size;
    int32_t kind; /**< WARDEN_FIGURE_* */
    /**
     * [a-z][a-z0-9_]{0,47} (WARDEN_MAX_FIGURE_NAME_BYTES); a counter's ends in
     * "_total", a gauge's does not.
     */
    warden_str name;
    /**
     * What it counts or measures, for people: one line, 1 to
     * WARDEN_MAX_FIGURE_HELP_BYTES (256) bytes of UTF-8 without control
     * characters or backslashes.
     */
    warden_str help;
    /**
     * Empty = no label of the figure's own; else [a-z][a-z0-9_]{0,31}, and
     * not `type`, `worker`, `le` or `quantile`.
     */
    warden_str label_name;
    /**
     * With a label_name: 1 to WARDEN_MAX_FIGURE_LABEL_VALUE_BYTES (64) bytes of
     * UTF-8 without control characters; without one: empty.
     */
    warden_str label_value;
    /**
     * Finite. A counter's is >= 0 and is its total (since its process
     * started), not a step; a total lower than the last one is a process
     * that started again, which Prometheus reads as a counter reset.
     */
    double value;
} warden_figure;

/**
 * What `next` decided: a state XOR an action (or neither: stay), with a
 * reason a person can act on and a signal [WP-FSM-3].
 */
typedef struct warden_decision {
    uint32_t struct_size;
    warden_str state;  /**< non-empty: move to this declared state */
    warden_str action; /**< non-empty: run this declared action */
    /**
     * Why; shown in the worker's status and logged. The host keeps at most
     * WARDEN_MAX_REASON_BYTES (2048) of it, control and non-ASCII bytes as \xNN.
     */
    warden_str reason;
    int32_t signal; /**< WARDEN_SIGNAL_* */
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
     * named by `ctx`. Control and non-ASCII bytes in `message` are escaped
     * (\xNN), so one call is always one line; at most WARDEN_MAX_TEXT_BYTES
     * (4096) of it are logged, then "...".
     * OWNERSHIP: `message` is copied before this returns.
     */
    void (*log_write)(warden_host_ctx *ctx, int32_t level, warden_str message);

    /**
     * Say why the hook that is running fails. Call it on the thread that runs
     * the hook, before returning a non-zero status; the host reads it when the
     * hook returns and names the plugin, worker and hook beside it. A later
     * call replaces an earlier one. The host keeps the first
     * WARDEN_MAX_TEXT_BYTES (4096) of it.
     * OWNERSHIP: `message` is copied before this returns.
     */
    void (*set_error)(warden_host_ctx *ctx, warden_str message);

    /**
     * Why the last host service called on this thread failed: `on_text` is
     * called once with the text (empty when the last call succeeded).
     * THREADING: per thread; read it right after the failing call. `on_text`
     * gets a copy: it may call host services itself.
     */
    void (*last_service_error)(warden_host_ctx *ctx, warden_receive_fn on_text, void *user);

    /** Nanoseconds on a monotonic clock (CLOCK_MONOTONIC). */
    int64_t (*monotonic_ns)(void);

    /** Nanoseconds since the Unix epoch (CLOCK_REALTIME). */
    int64_t (*wall_ns)(void);

    /**
     * Append `text` to a JSON document the plugin hands to the host (desired
     * or observed state). The document is whole when the hook returns; the
     * host then checks that it is one JSON object, valid UTF-8, nested at most
     * WARDEN_MAX_JSON_DEPTH (128) levels deep, and fails the hook otherwise
     * [WP-FSM-1].
     * OWNERSHIP: `text` is copied before this returns.
     * @return WARDEN_OK, or WARDEN_ERR_INVALID_ARGUMENT when `sink` is NULL or
     *         the document would pass WARDEN_MAX_JSON_BYTES (4 MiB).
     */
    warden_status (*json_sink_write)(warden_json_sink *sink, warden_str text);

    /**
     * Hand the result of `next` to the host. Call at most once per `next`; not
     * calling it means "stay, nothing to say". A decision that names both a
     * state and an action, an undeclared state or an undeclared action is
     * refused (WARDEN_ERR_INVALID_ARGUMENT, error text set) and counts as a
     * plugin error whatever `next` returns [WP-FSM-3]. Of the reason, the host
     * keeps WARDEN_MAX_REASON_BYTES (2048), control and non-ASCII bytes as \xNN.
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
     * or `T-X-*`, except those a worker with a longer name owns (with workers
     * `web` and `web-2`, `T-web-2` and `T-web-2-*` are web-2's alone); any
     * other name, and any call from the plugin's own context, returns
     * WARDEN_ERR_NOT_PERMITTED. A context the host made for
     * derive_desired_state or check_config offers no service operation
     * (WARDEN_ERR_UNSUPPORTED). Each call is logged in the host's audit
     * stream. Call them from collect or execute, never from next.
     *
     * A host that does not offer them leaves all five NULL; Warden's host
     * fills them from ABI 1.1 on [WP-ABI-1].
     */

    /**
     * Create the service, or update it in place when it exists with other
     * contents (files rewritten, process restarted, logs kept). The same spec
     * twice is a no-op that leaves the process running. The process runs as
     * the spec's user and group (ABI 1.4), settled as service_account
     * settles them; its logger and its files stay the host's [WP-SVC-3].
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
     * Send one WARDEN_CONTROL_* command and return when s6 has taken it. A
     * stop or restart also waits for the old process to end (its kill timeout
     * plus a few seconds at most, else WARDEN_ERR_TIMEOUT) and kills what it
     * left in its process group. `signal_number` is used only by
     * WARDEN_CONTROL_SIGNAL (the signals s6 forwards: ALRM ABRT QUIT HUP KILL
     * TERM INT USR1 USR2 STOP CONT WINCH; others are WARDEN_ERR_UNSUPPORTED).
     * WARDEN_ERR_NOT_FOUND when the service does not exist,
     * WARDEN_ERR_NOT_SUPERVISED when no s6-supervise runs it.
     */
    warden_status (*service_control)(warden_host_ctx *ctx, warden_str name, int32_t command,
                                     int32_t signal_number);

    /**
     * Stop the service and remove it, returning when no process, supervisor
     * or directory of it is left. Removing a service that is absent or
     * half-removed succeeds. Its logs are kept unless asked.
     * @param flags WARDEN_REMOVE_LOGS to delete its logs too.
     */
    warden_status (*service_remove)(warden_host_ctx *ctx, warden_str name, uint32_t flags);

    /**
     * List the caller's services whose names begin with `prefix` (which must
     * itself lie in the caller's scope): `on_name` is called once per name.
     */
    warden_status (*service_list)(warden_host_ctx *ctx, warden_str prefix,
                                  warden_receive_fn on_name, void *user);

    /**
     * One HTTP request (GET, POST or PUT) to 127.0.0.1. A connection refused
     * or a timeout is WARDEN_ERR_NOT_FOUND or WARDEN_ERR_TIMEOUT with the
     * error text set; any HTTP answer, 5xx included, is WARDEN_OK with its
     * status code. The body arrives through `on_body`, in one or more pieces.
     *
     * Scoped like the service operations: only to a port the calling worker
     * holds (port_reserve; any other is WARDEN_ERR_NOT_PERMITTED), logged in
     * the audit stream, with a timeout the host caps (default
     * WARDEN_DEFAULT_HTTP_TIMEOUT_MS, 2000 ms; at most
     * WARDEN_MAX_HTTP_TIMEOUT_MS, 10000 ms). An answer's body of more than
     * WARDEN_MAX_HTTP_BODY_BYTES (4 MiB) fails the probe (WARDEN_ERR)
     * [WP-HTTP-1]. `response` may be NULL.
     * Warden's host fills it from ABI 1.2 on, and takes PUT from ABI 1.3 on
     * (a 1.2 host refuses PUT with WARDEN_ERR_UNSUPPORTED).
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
     * @param max_lines 0 = WARDEN_DEFAULT_LOG_LINES (100); the host caps it at
     *        WARDEN_MAX_LOG_LINES (1000) lines read from at most the last
     *        WARDEN_MAX_LOG_READ_BYTES (256 KiB) of the log.
     */
    warden_status (*service_log_read)(warden_host_ctx *ctx, warden_str name, uint32_t max_lines,
                                      warden_receive_fn on_line, void *user);

    /**
     * Run `command` to completion [WP-CMD-1]: WARDEN_OK when it ran, whatever
     * its exit code (see `result`); WARDEN_ERR_NOT_FOUND when argv[0] cannot
     * be run; WARDEN_ERR_TIMEOUT when it outlived its timeout, and
     * WARDEN_ERR_CANCELLED when `cancel` asked (it is killed either way). Its
     * output (stdout and stderr, at most the first WARDEN_MAX_COMMAND_OUTPUT_BYTES,
     * 64 KiB) arrives through `on_output`, in one or more pieces. Logged in the
     * audit stream. Call it from execute or check_config, never from next.
     * @param cancel the running hook's cancel token, or NULL.
     * @param result set its struct_size first; the host fills the fields inside it.
     */
    warden_status (*command_run)(warden_host_ctx *ctx, const warden_command *command,
                                 const warden_cancel *cancel, warden_command_result *result,
                                 warden_receive_fn on_output, void *user);

    /* ---- ABI 1.4: check struct_size (WARDEN_HAS_FIELD) before using this. ---- */

    /**
     * Who the process of a service whose spec names `user` and `group` would
     * run as on this host, settled exactly as service_create settles it
     * [WP-SVC-3]: the names checked, the host's default service user for an
     * empty `user`, each name looked up on the machine, and a host that is
     * not root refusing any other user or group than its own. A plugin that
     * makes a directory its service writes (a data directory) hands it to
     * that user with it: when `out` has WARDEN_ACCOUNT_SWITCHED, chown it to
     * out->uid and out->gid. Any context may ask, the plugin's own included.
     * @return WARDEN_OK; WARDEN_ERR_INVALID_ARGUMENT for a name that breaks
     *         the rule or does not exist on this machine (or a NULL `out`);
     *         WARDEN_ERR_NOT_PERMITTED for an account only a host running as
     *         root could switch to; WARDEN_ERR when the lookup failed. The
     *         text names the field, the name and why.
     * @param out set its struct_size first; the host fills the fields inside it.
     */
    warden_status (*service_account)(warden_host_ctx *ctx, warden_str user, warden_str group,
                                     warden_service_account *out);

    /* ---- ABI 1.5: check struct_size (WARDEN_HAS_FIELD) before using this. ---- */

    /**
     * Set the current value of one series of the calling worker: its figure
     * `name` with `label_value` [WP-FIG-1]. The host exports it as
     * warden_plugin_<type>_<name>{type="<type>",worker="<worker>"} (with
     * `,<label_name>="<label_value>"` when the figure has a label) and the
     * help text, with the value last set, until the worker is removed from
     * the config. Setting it again replaces the value (a counter's total
     * that went down is accepted: its process started again).
     * Only a worker's own context publishes. Within a worker type, a name
     * keeps the kind, help and label name it was first published with while
     * any series of it exists. A worker has at most
     * WARDEN_MAX_FIGURES_PER_WORKER (32) series; setting one it has always
     * works. It does not block: call it from collect_observed_state or
     * execute_action (or a thread of the plugin's while the worker lives),
     * never from next, which stays pure.
     * OWNERSHIP: every string in `figure` is copied before this returns.
     * @return WARDEN_OK; WARDEN_ERR_NOT_PERMITTED from the plugin's own
     *         context; WARDEN_ERR_UNSUPPORTED from a context made for
     *         derive_desired_state or check_config, or for a kind this host
     *         does not know; WARDEN_ERR_INVALID_ARGUMENT for a NULL figure or
     *         one smaller than ABI 1.5's, a field that breaks its rule, a
     *         kind, help or label name other than the one the name has in the
     *         worker type, or a series past the worker's limit. The text
     *         names the field, its value (escaped, bounded) and why.
     */
    warden_status (*figure_publish)(warden_host_ctx *ctx, const warden_figure *figure);
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
    warden_str name; /**< unique within the type, [a-z][a-z0-9_]{0,31} */
    /** The host cancels it after this long; 0 = WARDEN_DEFAULT_ACTION_TIMEOUT_MS (30000). */
    uint32_t timeout_ms;
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
 * @param ctx the worker's context: keep it, pass it to host services; valid
 *        until destroy returns.
 * @param identity who the worker is (copy what you keep).
 * @param out_worker set to the new worker on success.
 * OWNERSHIP: *out_worker becomes the plugin's object, freed by destroy.
 * A create that fails marks the worker failed; the host makes it again after
 * WARDEN_MIN_RETRY_DELAY_MS, doubling up to WARDEN_MAX_RETRY_DELAY_MS.
 * THREADING: never overlaps any other hook of the same worker; runs
 * concurrently with the hooks of other workers.
 */
typedef warden_status (*warden_worker_create_fn)(warden_host_ctx *ctx,
                                                 const warden_identity *identity,
                                                 warden_worker **out_worker);

/**
 * Free one worker. Its context is invalid once this returns.
 * THREADING: never overlaps any other hook of the same worker; runs
 * concurrently with the hooks of other workers.
 */
typedef void (*warden_worker_destroy_fn)(warden_worker *worker);

/**
 * Turn a worker's config (the `config:` block, as JSON text) into its desired
 * state (a JSON object). A pure function of its inputs: it may be called with
 * no worker made (as by `warden --check-config`). A bad config returns
 * WARDEN_ERR_INVALID_ARGUMENT with set_error naming the key and the problem.
 * OWNERSHIP: the output is copied by the host as it is written to `out`.
 * The context, `identity` and `config_json` are valid only during this call;
 * the context offers no service operation, port or probe.
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
 * error. Blocking I/O is allowed; honour `cancel` (its deadline is
 * collect_timeout_ms after the call, WARDEN_DEFAULT_COLLECT_TIMEOUT_MS by
 * default).
 * A collect that fails (a non-zero status, or no JSON object written) leaves
 * the last observation in place and is logged once per distinct error; the
 * worker is not marked failed and `next` is not called for it. The collector
 * runs again at its interval. Once the last observation is older than
 * stale_after_ms, `next` is not called; older than collector_timeout_ms, the
 * collector is restarted after a growing delay, and after
 * collector_restarts restarts the worker is asked to shut down [WP-FSM-6].
 * OWNERSHIP: `snapshot`, `cancel` and `out` are valid only during this call.
 * THREADING: never overlaps another collect of the same worker; may run while
 * next or execute_action of the same worker run, and concurrently with the
 * hooks of other workers [WP-THR-1].
 */
typedef warden_status (*warden_worker_collect_fn)(warden_worker *worker,
                                                  const warden_snapshot *snapshot,
                                                  const warden_cancel *cancel,
                                                  warden_json_sink *out);

/**
 * Decide from the snapshot alone: submit a state XOR an action, a reason and
 * a signal through `out`. Pure: no I/O, no blocking, no host services but
 * logging and decision_submit [WP-FSM-3]. A next that fails, or whose
 * decision is refused, marks the worker failed; it is asked again after
 * WARDEN_MIN_RETRY_DELAY_MS, doubling up to WARDEN_MAX_RETRY_DELAY_MS, and
 * at once when its config changes.
 * OWNERSHIP: `snapshot` and `out` are valid only during this call.
 * THREADING: never overlaps another next of the same worker; may run while
 * collect or execute_action of the same worker run, and concurrently with the
 * hooks of other workers [WP-THR-2].
 */
typedef warden_status (*warden_worker_next_fn)(warden_worker *worker,
                                               const warden_snapshot *snapshot,
                                               warden_decision_sink *out);

/**
 * Run one declared action. Actions are idempotent: the host may run one again
 * when the next decision asks for it again. Return when `cancel` asks; its
 * deadline is the action's declared timeout after the call.
 * What the host does when it returns, failed or not [WP-FSM-4]: it collects
 * at once, and calls next only with an observation collected after the
 * action (action gating). The snapshot then names the action in
 * `last_action`, with `last_action_status` and, for a failure,
 * `last_action_error` (the host's words around the set_error text; an
 * action the host cancelled at its timeout has WARDEN_ERR_TIMEOUT and an
 * error beginning "timed out: "). Nothing else follows a failure: next
 * decides what to do. If next asks for the same action again,
 * it runs only once WARDEN_MIN_RETRY_DELAY_MS has passed since the failure,
 * twice that after each further failure in a row, up to
 * WARDEN_MAX_RETRY_DELAY_MS; until then the decision is not acted on, and
 * next is asked again when the delay is over.
 * OWNERSHIP: `action` (one of the type's declared names, in the host's
 * bytes), `snapshot` and `cancel` are valid only during this call: copy
 * what you keep.
 * THREADING: never overlaps another execute_action of the same worker; may
 * run while collect or next of the same worker run, and concurrently with the
 * hooks of other workers [WP-THR-3].
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
 * saying why [WP-FSM-7]. `cancel`'s deadline is WARDEN_MAX_CHECK_CONFIG_MS
 * (60 s) after the call.
 * OWNERSHIP: the context, `identity`, `desired_json` and `cancel` are valid
 * only during this call; the context reserves ports (in the check's scratch
 * set), probes and runs commands, but offers no service operation.
 * THREADING: may run on any thread, concurrently with any hook; it touches
 * no worker.
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
