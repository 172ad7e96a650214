#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# check_man_options.sh WARDEN PAGE: the OPTIONS section of warden(8) has an
# entry (.TP, then a line naming the option) for every long option
# `WARDEN --help` prints, and for no other.
set -u
warden=$1
page=$2

help_options=$("$warden" --help |
    sed -n 's/^  \(-[A-Za-z] \[ \)\{0,1\}--\([a-z][a-z0-9-]*\).*/\2/p' | sort -u)
if [[ -z $help_options ]]; then
    echo "FAIL: '$warden --help' printed no options"
    exit 1
fi

# The line after each .TP of OPTIONS (up to the next .SH), "\-" read as "-".
page_options=$(awk '
    /^\.SH/ { in_options = ($0 ~ /^\.SH "?OPTIONS"?[ \t]*$/); after_tp = 0; next }
    in_options && after_tp { print }
    { after_tp = in_options && $0 ~ /^\.TP[ \t]*$/ }' "$page" |
    sed 's/\\-/-/g' | grep -o -- '--[a-z][a-z0-9-]*' | sed 's/^--//' | sort -u)

status=0
missing=$(comm -23 <(echo "$help_options") <(echo "$page_options"))
extra=$(comm -13 <(echo "$help_options") <(echo "$page_options"))
for option in $missing; do
    echo "FAIL: warden --help prints --$option; $page has no OPTIONS entry for it"
    status=1
done
for option in $extra; do
    echo "FAIL: $page describes --$option under OPTIONS; warden --help does not print it"
    status=1
done
[[ $status -eq 0 ]] && echo "ok: the $(echo "$help_options" | wc -l) options of warden --help, each in $page"
exit $status
