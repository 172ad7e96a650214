#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# test_completion.sh COMPLETION WARDEN: sources the bash completion for
# warden (run as `bash --norc`, so nothing of bash-completion is loaded) and
# checks what it offers for real command lines, and that it offers exactly
# the long options `WARDEN --help` prints.
set -u
completion=$1
warden=$2
failures=0

# shellcheck source=/dev/null
source "$completion" || {
    echo "FAIL: cannot source $completion"
    exit 1
}
if [[ $(complete -p warden 2>/dev/null) != "complete -F _warden warden" ]]; then
    echo "FAIL: sourcing $completion did not register _warden for warden"
    exit 1
fi

scratch=$(mktemp -d "${TMPDIR:-/tmp}/warden-completion.XXXXXX") || exit 1
trap 'rm -rf "$scratch"' EXIT
mkdir "$scratch/configs" "$scratch/configs/sub.d" "$scratch/configs/other.d"
touch "$scratch/configs/warden.yaml" "$scratch/configs/demo.yaml" "$scratch/configs/with space.yaml"

# Completes the command line made of the arguments, the last one being the
# word under the cursor, as bash does when Tab is pressed.
complete_words() {
    COMP_WORDS=(warden "$@")
    COMP_CWORD=$#
    COMP_LINE="warden $*"
    COMP_POINT=${#COMP_LINE}
    COMPREPLY=()
    _warden warden "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
}

# expect WHAT EXPECTED... -- WORDS...: COMPREPLY is EXPECTED, in that order.
expect() {
    local what=$1
    shift
    local expected=()
    while [[ $1 != -- ]]; do
        expected+=("$1")
        shift
    done
    shift
    complete_words "$@"
    local got
    got=$(printf '[%s] ' "${COMPREPLY[@]}")
    local want
    want=$(printf '[%s] ' "${expected[@]}")
    if [[ $got != "$want" ]]; then
        echo "FAIL: $what: 'warden $*<Tab>' offered $got; expected $want"
        failures=$((failures + 1))
    else
        echo "ok: $what"
    fi
}

# expect_set: the same, in any order.
expect_set() {
    local what=$1
    shift
    local expected=()
    while [[ $1 != -- ]]; do
        expected+=("$1")
        shift
    done
    shift
    complete_words "$@"
    local got want
    got=$(printf '    %s\n' "${COMPREPLY[@]}" | sort)
    want=$(printf '    %s\n' "${expected[@]}" | sort)
    if [[ $got != "$want" ]]; then
        echo "FAIL: $what: 'warden $*<Tab>' offered:"
        echo "$got"
        echo "  expected:"
        echo "$want"
        failures=$((failures + 1))
    else
        echo "ok: $what"
    fi
}

levels=(trace debug info warn error)
c=$scratch/configs

expect "an option from its start" --log-level -- --log-l
expect "every option with that start" --status --stop-services-on-exit --start-svscan -- --st
expect "the log levels" "${levels[@]}" -- --log-level ''
expect "a log level from its start" debug -- --log-level d
expect "the log levels after --log-level=" "${levels[@]}" -- --log-level =
expect "a log level after --log-level=" debug -- --log-level = de
expect "a log level in one word with its option" --log-level=debug -- --log-level=de
expect "the log formats" text json -- --log-format ''
expect "a log format" json -- --check-config --log-format j
expect "--json after --status" --json -- --status --j
expect_set "files for --config" "$c/demo.yaml" "$c/other.d" "$c/sub.d" "$c/warden.yaml" \
    "$c/with space.yaml" -- --config "$c/"
expect_set "files for --config, from a start" "$c/warden.yaml" "$c/with space.yaml" -- \
    --config "$c/w"
expect_set "files for --config=" "$c/demo.yaml" -- --config = "$c/d"
expect_set "directories for --plugin-dir" "$c/other.d" "$c/sub.d" -- --plugin-dir "$c/"
expect_set "directories for --scan-dir" "$c/sub.d" -- --status --scan-dir "$c/s"
expect_set "directories for --log-dir" "$c/other.d" "$c/sub.d" -- --log-dir "$c/"
expect "nothing after an option that takes a value in one word" -- --log-level=nope

# With bash-completion's helpers loaded, names come from its _filedir.
# shellcheck disable=SC2317 # called by _warden
_filedir() { COMPREPLY=("_filedir${1:+ $1}"); }
expect "bash-completion's _filedir for a file" "_filedir" -- --config x
expect "bash-completion's _filedir -d for a directory" "_filedir -d" -- --scan-dir x
unset -f _filedir

# Exactly the long options `warden --help` prints.
help_options=$("$warden" --help | sed -n 's/^  \(-[A-Za-z] \[ \)\{0,1\}\(--[a-z][a-z0-9-]*\).*/\2/p')
if [[ -z $help_options ]]; then
    echo "FAIL: '$warden --help' printed no options"
    failures=$((failures + 1))
else
    mapfile -t expected <<<"$help_options"
    expect_set "every option of warden --help, and no other" "${expected[@]}" -- ''
    expect_set "every option of warden --help after --" "${expected[@]}" -- --
fi

if ((failures > 0)); then
    echo "$failures failed"
    exit 1
fi
echo "all passed"
