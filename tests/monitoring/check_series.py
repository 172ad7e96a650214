#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Checks that every metric the monitoring files query is one Warden's
metrics endpoint exports.

    check_series.py --exposition FILE FILE...

--exposition names what the endpoint answers to GET /metrics (Prometheus's
text format 0.0.4, or OpenMetrics). Each other FILE is one of:

- a Grafana dashboard (.json): every panel query (rows' panels included),
  template variable query and annotation query;
- Prometheus rules (.yml/.yaml with `groups:`): every rule's expr;
- promtool rule tests (.yml/.yaml with `tests:`): every input series and
  every promql_expr_test's expr.

A name is exported when a sample in the exposition has it, or a # TYPE line
declares it: a counter, gauge or untyped family by its name (and, for
OpenMetrics' counters, NAME_total), a histogram by NAME_bucket, NAME_sum and
NAME_count, a summary by NAME, NAME_sum and NAME_count. A histogram family's
bare name is no series in the text format: querying it is an error. Prometheus
adds `up` and the other scrape series itself (SCRAPE_SERIES below).

Names come out of PromQL by a small scanner: strings, comments, label
matchers, durations and subquery ranges, grouping label lists (by, without,
on, ignoring, group_left, group_right), keywords, numbers and Grafana's
variables ($var, ${var}, [[var]]) are skipped; an identifier followed by "("
must be a PromQL function or aggregation (an unknown one is reported, so a
typo is not taken for a metric); any other identifier is a metric name, as
is the value of a __name__="..." matcher. Grafana's variable query
functions are understood: label_values(QUERY, LABEL), label_values(LABEL),
label_names(), query_result(QUERY).

Exit status: 0 when every name is exported, 1 when some are not (each
printed with where it is used), 2 for unusable input.
"""
import argparse
import json
import re
import sys

try:
    import yaml
except ImportError:  # pragma: no cover - depends on the machine
    sys.exit("check_series.py: needs PyYAML (Debian package python3-yaml)")

# Series Prometheus writes for every scrape target itself.
SCRAPE_SERIES = {
    "up",
    "scrape_duration_seconds",
    "scrape_samples_scraped",
    "scrape_samples_post_metric_relabeling",
    "scrape_series_added",
}

# PromQL's functions (Prometheus 2.42, and the few added up to 3.x) and
# aggregation operators: an identifier followed by "(" must be one of these.
FUNCTIONS = {
    "abs", "absent", "absent_over_time", "acos", "acosh", "asin", "asinh", "atan",
    "atanh", "avg_over_time", "ceil", "changes", "clamp", "clamp_max", "clamp_min",
    "cos", "cosh", "count_over_time", "day_of_month", "day_of_week", "day_of_year",
    "days_in_month", "deg", "delta", "deriv", "double_exponential_smoothing", "exp",
    "floor", "histogram_avg", "histogram_count", "histogram_fraction",
    "histogram_quantile", "histogram_stddev", "histogram_stdvar", "histogram_sum",
    "holt_winters", "hour", "idelta", "increase", "info", "irate", "label_join",
    "label_replace", "last_over_time", "ln", "log10", "log2", "mad_over_time",
    "max_over_time", "min_over_time", "minute", "month", "pi", "predict_linear",
    "present_over_time", "quantile_over_time", "rad", "rate", "resets", "round",
    "scalar", "sgn", "sin", "sinh", "sort", "sort_by_label", "sort_by_label_desc",
    "sort_desc", "sqrt", "stddev_over_time", "stdvar_over_time", "sum_over_time",
    "tan", "tanh", "time", "timestamp", "vector", "year",
    # the @ modifier's start() and end()
    "start", "end",
}
AGGREGATIONS = {
    "avg", "bottomk", "count", "count_values", "group", "limit_ratio", "limitk", "max",
    "min", "quantile", "stddev", "stdvar", "sum", "topk",
}
# Followed by a parenthesised list of label names (group_left and
# group_right may have none).
LABEL_LIST_KEYWORDS = {"by", "without", "on", "ignoring", "group_left", "group_right"}
# Binary operators and modifiers written as words.
WORD_OPERATORS = {"and", "or", "unless", "bool", "offset", "atan2"}
NUMBER_WORDS = {"inf", "nan"}

IDENT_START = re.compile(r"[A-Za-z_:]")
IDENT = re.compile(r"[A-Za-z_:][A-Za-z0-9_:]*")
LABEL = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# A number, or a duration (5m, 1h30m) where a number may stand.
NUMBER = re.compile(r"(0[xX][0-9a-fA-F]+|[0-9]*\.?[0-9]+([eE][+-]?[0-9]+)?)[A-Za-z0-9_]*")


class PromQLError(ValueError):
    pass


def _skip_string(expr, i):
    """Index just past the string literal starting at expr[i]."""
    quote = expr[i]
    i += 1
    while i < len(expr):
        c = expr[i]
        if c == "\\" and quote != "`":
            i += 2
            continue
        if c == quote:
            return i + 1
        i += 1
    raise PromQLError(f"unterminated string at offset {i}")


def _read_string(expr, i):
    """(value, end) of the string literal at expr[i], escapes undone loosely."""
    end = _skip_string(expr, i)
    body = expr[i + 1:end - 1]
    if expr[i] != "`":
        body = re.sub(r"\\(.)", r"\1", body)
    return body, end


def _skip_space(expr, i):
    while i < len(expr) and expr[i].isspace():
        i += 1
    return i


def _skip_variable(expr, i):
    """Index past a Grafana variable at expr[i] ($name, ${name...}, [[name]])."""
    if expr.startswith("[[", i):
        end = expr.find("]]", i)
        if end < 0:
            raise PromQLError(f"unterminated [[variable]] at offset {i}")
        return end + 2
    i += 1  # "$"
    if i < len(expr) and expr[i] == "{":
        end = expr.find("}", i)
        if end < 0:
            raise PromQLError(f"unterminated ${{variable}} at offset {i}")
        return end + 1
    m = re.compile(r"[A-Za-z0-9_]*").match(expr, i)
    return m.end()


def _matchers(expr, i):
    """Parse the label matchers at expr[i] == "{": (metric names from
    __name__ matchers, index past "}")."""
    names = []
    i += 1
    while True:
        i = _skip_space(expr, i)
        if i >= len(expr):
            raise PromQLError("unterminated label matchers")
        if expr[i] == "}":
            return names, i + 1
        if expr[i] == ",":
            i += 1
            continue
        if expr[i] in "\"'`":
            # A quoted metric name (Prometheus 3's UTF-8 names): {"name"}.
            value, i = _read_string(expr, i)
            names.append(value)
            continue
        if expr[i] == "$" or expr.startswith("[[", i):
            i = _skip_variable(expr, i)
            continue
        m = LABEL.match(expr, i)
        if not m:
            raise PromQLError(f"unexpected {expr[i]!r} in label matchers at offset {i}")
        label = m.group(0)
        i = _skip_space(expr, m.end())
        op = re.compile(r"=~|!~|!=|=").match(expr, i)
        if not op:
            raise PromQLError(f"label {label} without a matcher at offset {i}")
        i = _skip_space(expr, op.end())
        if i >= len(expr) or expr[i] not in "\"'`":
            raise PromQLError(f"label {label}'s value is not a string at offset {i}")
        value, i = _read_string(expr, i)
        if label == "__name__":
            if op.group(0) != "=":
                raise PromQLError(f'__name__{op.group(0)}"{value}" cannot be checked: name the metric')
            names.append(value)


def metric_names(expr):
    """The metric names a PromQL expression (with Grafana's variables)
    selects, in order of appearance. Raises PromQLError."""
    names = []
    i = 0
    n = len(expr)
    while i < n:
        c = expr[i]
        if c.isspace():
            i += 1
        elif c == "#":
            end = expr.find("\n", i)
            i = n if end < 0 else end
        elif c in "\"'`":
            i = _skip_string(expr, i)
        elif c == "{":
            found, i = _matchers(expr, i)
            names.extend(found)
        elif expr.startswith("[[", i):
            i = _skip_variable(expr, i)
        elif c == "[":
            # A range or a subquery: durations, ":" and variables only.
            end = expr.find("]", i)
            if end < 0:
                raise PromQLError(f"unterminated [ at offset {i}")
            i = end + 1
        elif c == "$":
            i = _skip_variable(expr, i)
        elif c.isdigit() or (c == "." and i + 1 < n and expr[i + 1].isdigit()):
            m = NUMBER.match(expr, i)
            i = m.end() if m and m.end() > i else i + 1
        elif IDENT_START.match(c):
            m = IDENT.match(expr, i)
            word = m.group(0)
            i = m.end()
            j = _skip_space(expr, i)
            nxt = expr[j] if j < n else ""
            low = word.lower()
            if low in LABEL_LIST_KEYWORDS:
                if nxt == "(":
                    end = expr.find(")", j)
                    if end < 0:
                        raise PromQLError(f"unterminated label list after {word}")
                    i = end + 1
            elif low in WORD_OPERATORS or low in NUMBER_WORDS:
                pass
            elif word in AGGREGATIONS and IDENT.match(expr, j) and \
                    IDENT.match(expr, j).group(0).lower() in ("by", "without"):
                pass  # sum by (label) (...)
            elif nxt == "(":
                if word not in FUNCTIONS and word not in AGGREGATIONS:
                    raise PromQLError(f"unknown function {word}()")
            else:
                names.append(word)
        else:
            i += 1
    return names


def grafana_variable_query(query):
    """The PromQL inside a Grafana Prometheus variable query, or None for
    one that selects no metric (label_values(label), label_names())."""
    q = query.strip()
    m = re.fullmatch(r"label_values\((.*)\)", q, re.S)
    if m:
        inner = m.group(1).strip()
        # label_values(LABEL) or label_values(QUERY, LABEL): the label is
        # the part after the last comma outside braces and strings.
        depth = 0
        split = -1
        k = 0
        while k < len(inner):
            ch = inner[k]
            if ch in "\"'`":
                k = _skip_string(inner, k)
                continue
            if ch in "({[":
                depth += 1
            elif ch in ")}]":
                depth -= 1
            elif ch == "," and depth == 0:
                split = k
            k += 1
        return inner[:split] if split >= 0 else None
    if re.fullmatch(r"label_names\(.*\)", q, re.S):
        inner = q[len("label_names("):-1].strip()
        return inner or None
    m = re.fullmatch(r"query_result\((.*)\)", q, re.S)
    if m:
        return m.group(1)
    if re.fullmatch(r"metrics\(.*\)", q, re.S):
        raise PromQLError("metrics(REGEX) selects metric names by pattern: cannot be checked")
    return q


# --- What the files query ---------------------------------------------------

def dashboard_queries(dashboard):
    """(where, PromQL) for every query in a Grafana dashboard."""
    out = []

    def panels(items, prefix=""):
        for panel in items or []:
            title = panel.get("title") or f"id {panel.get('id')}"
            where = f"{prefix}panel {title!r}"
            for target in panel.get("targets") or []:
                if "expr" in target:
                    out.append((f"{where} query {target.get('refId', '?')}", target["expr"]))
            row = panel.get("type") == "row"
            panels(panel.get("panels"), prefix=f"row {title!r}, " if row else prefix)

    panels(dashboard.get("panels"))
    for var in (dashboard.get("templating") or {}).get("list") or []:
        if var.get("type") != "query":
            continue
        query = var.get("query")
        if isinstance(query, dict):
            query = query.get("query")
        if isinstance(query, str) and query.strip():
            out.append((f"variable ${var.get('name')}", ("grafana-variable", query)))
    for ann in (dashboard.get("annotations") or {}).get("list") or []:
        if ann.get("expr"):
            out.append((f"annotation {ann.get('name')!r}", ann["expr"]))
    return out


def rules_queries(doc):
    out = []
    for group in doc.get("groups") or []:
        for rule in group.get("rules") or []:
            name = rule.get("alert") or rule.get("record")
            out.append((f"group {group.get('name')!r} rule {name}", rule.get("expr", "")))
    return out


def rule_tests_queries(doc):
    out = []
    for t, test in enumerate(doc.get("tests") or []):
        label = test.get("name") or f"#{t + 1}"
        for series in test.get("input_series") or []:
            out.append((f"test {label!r} input series", series.get("series", "")))
        for expr_test in test.get("promql_expr_test") or []:
            out.append((f"test {label!r} promql_expr_test", expr_test.get("expr", "")))
    return out


def file_queries(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    if path.endswith(".json"):
        return dashboard_queries(json.loads(text))
    doc = yaml.safe_load(text)
    if not isinstance(doc, dict):
        raise ValueError(f"{path}: neither rules (groups:) nor rule tests (tests:)")
    if "groups" in doc:
        return rules_queries(doc)
    if "tests" in doc:
        return rule_tests_queries(doc)
    raise ValueError(f"{path}: neither rules (groups:) nor rule tests (tests:)")


# --- What the endpoint exports ----------------------------------------------

def exported_names(text):
    """Every metric name a query may use, from an exposition's samples and
    # TYPE lines."""
    names = set()
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        if line.startswith("#"):
            parts = line.split(None, 3)
            if len(parts) >= 4 and parts[1] == "TYPE":
                family, kind = parts[2], parts[3].strip()
                if kind == "histogram":
                    names.update(family + s for s in ("_bucket", "_sum", "_count"))
                elif kind == "gaugehistogram":
                    names.update(family + s for s in ("_bucket", "_gsum", "_gcount"))
                elif kind == "summary":
                    names.update(family + s for s in ("", "_sum", "_count"))
                elif kind == "counter":
                    names.add(family)
                    if not family.endswith("_total"):
                        names.add(family + "_total")  # OpenMetrics names counters without it
                else:
                    names.add(family)
            continue
        m = IDENT.match(line)
        if not m:
            raise ValueError(f"not a sample line: {line!r}")
        names.add(m.group(0))
    return names


def histogram_families(text):
    return {parts[2] for parts in (line.split(None, 3) for line in text.splitlines())
            if len(parts) >= 4 and parts[0] == "#" and parts[1] == "TYPE"
            and parts[3].strip() == "histogram"}


def check(exposition_text, files):
    """(problems, checked): problems are lines to print."""
    exported = exported_names(exposition_text) | SCRAPE_SERIES
    histograms = histogram_families(exposition_text)
    problems = []
    checked = 0
    for path in files:
        for where, query in file_queries(path):
            try:
                if isinstance(query, tuple):  # a Grafana variable query
                    query = grafana_variable_query(query[1])
                    if query is None:
                        continue
                names = metric_names(query)
            except PromQLError as e:
                problems.append(f"{path}: {where}: {e}")
                continue
            checked += 1
            for name in names:
                if name in exported:
                    continue
                hint = ""
                if name in histograms:
                    hint = " (a histogram: query its _bucket, _sum or _count)"
                problems.append(f"{path}: {where}: {name} is not exported{hint}")
    return problems, checked


def main(argv=None):
    parser = argparse.ArgumentParser(
        description="Check that every metric the dashboard and the rules query is exported.")
    parser.add_argument("--exposition", required=True,
                        help="the endpoint's answer to GET /metrics, in Prometheus text format")
    parser.add_argument("files", nargs="+",
                        help="Grafana dashboards (.json), Prometheus rules or rule tests (.yml)")
    args = parser.parse_args(argv)
    try:
        with open(args.exposition, encoding="utf-8") as f:
            exposition = f.read()
        problems, checked = check(exposition, args.files)
    except (OSError, ValueError, yaml.YAMLError) as e:
        print(f"check_series.py: {e}", file=sys.stderr)
        return 2
    for line in problems:
        print(line, file=sys.stderr)
    if problems:
        print(f"check_series.py: {len(problems)} problem(s) in {', '.join(args.files)}",
              file=sys.stderr)
        return 1
    print(f"check_series.py: {checked} queries in {len(args.files)} file(s) use only series "
          f"{args.exposition} exports")
    return 0


if __name__ == "__main__":
    sys.exit(main())
