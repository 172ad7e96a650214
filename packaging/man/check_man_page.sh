#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# check_man_page.sh PAGE: the page is plain ASCII, and groff formats it with
# the man macros without a word of warning (-ww: every warning).
set -u
page=$1
status=0
if ! command -v groff >/dev/null 2>&1; then
    echo "FAIL: groff is not installed (Debian: groff-base)"
    exit 1
fi
if LC_ALL=C grep -n '[^ -~]' "$page"; then
    echo "FAIL: $page: the lines above hold bytes other than printable ASCII (use groff escapes)"
    status=1
fi
warnings=$(groff -man -ww -z "$page" 2>&1)
rc=$?
if [[ $rc -ne 0 || -n $warnings ]]; then
    echo "$warnings"
    echo "FAIL: groff -man -ww -z $page: exit $rc, and the warnings above"
    status=1
fi
[[ $status -eq 0 ]] && echo "ok: $page"
exit $status
