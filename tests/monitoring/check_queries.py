#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Runs every query of a Grafana dashboard through Prometheus's own PromQL
engine, on the series of an exposition:

    check_queries.py --promtool PROMTOOL --exposition FILE DASHBOARD.json

Nothing else parses the dashboard's PromQL before a user's Grafana does:
this check writes a promtool unit test (promtool test rules) whose input
series are the exposition's samples over 10 minutes (gauges constant,
counters and histogram buckets growing by 1 a minute) as a scrape of job
"warden" stores them (instance and job labels added, and up = 1), with Grafana's
variables replaced as Grafana would for "All" and a 10-minute range
($instance and every other query variable: .*, $__rate_interval: 2m,
$__interval: 1m, $__range: 10m), and evaluates at the end of it:

- each panel's queries: they must parse, and at least one of them must
  return a series (a panel that shows nothing on a host exporting every
  series is broken: a wrong label value, a filter that matches nothing);
- each template variable's query (the QUERY of label_values(QUERY, LABEL)):
  it must return a series;
- each annotation's query: it must parse (it returns events only when
  something happens, so it may be empty).

A failure names the panel, variable or annotation: each expression starts
with a PromQL comment saying whose it is, and promtool prints the
expression. Exit status: 0 when all pass, 1 when some fail, 2 for unusable
input.
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import check_series  # noqa: E402  (the same directory)

try:
    import yaml
except ImportError:  # pragma: no cover - depends on the machine
    sys.exit("check_queries.py: needs PyYAML (Debian package python3-yaml)")

STEPS = 10  # samples at 0, 1m, ..., 10m
EVAL_TIME = f"{STEPS}m"
GRAFANA_VALUES = {
    "__rate_interval": "2m", "__interval": "1m", "__range": "10m",
    "__rate_interval_ms": "120000", "__interval_ms": "60000",
    "__range_s": "600", "__range_ms": "600000",
}
SAMPLE = re.compile(r"([A-Za-z_:][A-Za-z0-9_:]*)(\{.*\})?\s+(\S+)(\s+\S+)?\s*$")


INSTANCE = "warden-test:9478"
JOB = "warden"


def scraped(labels):
    """A sample's labels ("{...}" or "") with the ones a scrape adds."""
    inner = labels[1:-1].strip().rstrip(",") if labels else ""
    added = [f'{name}="{value}"' for name, value in (("instance", INSTANCE), ("job", JOB))
             if not re.search(rf'(^|,)\s*{name}\s*=', inner)]
    return "{" + ",".join(([inner] if inner else []) + added) + "}"


def input_series(exposition):
    """promtool input_series for each sample of a text-format exposition,
    as a scrape stores them."""
    kinds = {}
    series = [{"series": "up" + scraped(""), "values": f"1+0x{STEPS}"}]
    for line in exposition.splitlines():
        line = line.strip()
        if not line:
            continue
        if line.startswith("#"):
            parts = line.split(None, 3)
            if len(parts) == 4 and parts[1] == "TYPE":
                kinds[parts[2]] = parts[3].strip()
            continue
        m = SAMPLE.match(line)
        if not m:
            raise ValueError(f"not a sample line: {line!r}")
        name, labels, value = m.group(1), m.group(2) or "", m.group(3)
        kind = kinds.get(name)
        for suffix in ("_bucket", "_sum", "_count", "_total"):
            if kind is None and name.endswith(suffix):
                kind = kinds.get(name[: -len(suffix)])
                if kind == "gauge":
                    kind = None
        growing = kind in ("counter", "histogram", "summary") and not (
            kind == "summary" and not re.search(r"_(sum|count)$", name))
        value = {"+Inf": "Inf", "-Inf": "-Inf", "NaN": "NaN"}.get(value, value)
        float(value)
        series.append({"series": name + scraped(labels),
                       "values": f"{value}+{1 if growing else 0}x{STEPS}"})
    return series


def substitute(expr, variables):
    """expr with Grafana's variables replaced; unknown ones raise ValueError."""
    def value(name):
        if name in GRAFANA_VALUES:
            return GRAFANA_VALUES[name]
        if name in variables:
            return variables[name]
        raise ValueError(f"${name} is no variable of the dashboard")

    expr = re.sub(r"\$\{([A-Za-z0-9_]+)(?::[^}]*)?\}", lambda m: value(m.group(1)), expr)
    expr = re.sub(r"\[\[([A-Za-z0-9_]+)\]\]", lambda m: value(m.group(1)), expr)
    return re.sub(r"\$([A-Za-z0-9_]+)", lambda m: value(m.group(1)), expr)


def comment(text):
    return "# " + text.replace("\n", " ") + "\n"


def expression_tests(dashboard):
    """[(expr, must_return)] for the dashboard, expr starting with a comment
    naming whose it is."""
    variables = {}
    for var in (dashboard.get("templating") or {}).get("list") or []:
        if var.get("type") == "query":
            variables[var["name"]] = var.get("allValue") or ".*"
    tests = []

    def panels(items, prefix=""):
        for panel in items or []:
            where = f"{prefix}panel {panel.get('title')!r}"
            exprs = [substitute(t["expr"], variables)
                     for t in panel.get("targets") or [] if "expr" in t]
            if exprs:
                joined = " or ".join(f"({e})" for e in exprs)
                tests.append((comment(where + ": one of its queries returns a series") +
                              f"group({joined})", True))
            row = panel.get("type") == "row"
            panels(panel.get("panels"), f"row {panel.get('title')!r}, " if row else prefix)

    panels(dashboard.get("panels"))
    for where, query in check_series.dashboard_queries(dashboard):
        if isinstance(query, tuple):
            inner = check_series.grafana_variable_query(query[1])
            if inner is not None:
                tests.append((comment(where + ": its query returns a series") +
                              f"group({substitute(inner, variables)})", True))
        elif where.startswith("annotation "):
            tests.append((comment(where + ": its query parses") +
                          f"group(vector(1) or ({substitute(query, variables)}))", True))
    return tests


def unit_test(exposition, dashboard):
    return {
        "rule_files": [],
        "evaluation_interval": "1m",
        "tests": [{
            "name": "every query of the dashboard on the exposition's series",
            "interval": "1m",
            "input_series": input_series(exposition),
            "promql_expr_test": [
                {"expr": expr, "eval_time": EVAL_TIME, "exp_samples": [{"labels": "{}", "value": 1}]}
                for expr, _ in expression_tests(dashboard)],
        }],
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description="Evaluate a dashboard's queries with promtool.")
    parser.add_argument("--promtool", required=True)
    parser.add_argument("--exposition", required=True)
    parser.add_argument("dashboard")
    args = parser.parse_args(argv)
    try:
        with open(args.exposition, encoding="utf-8") as f:
            exposition = f.read()
        with open(args.dashboard, encoding="utf-8") as f:
            dashboard = json.load(f)
        test = unit_test(exposition, dashboard)
    except (OSError, ValueError, check_series.PromQLError) as e:
        print(f"check_queries.py: {e}", file=sys.stderr)
        return 2
    count = len(test["tests"][0]["promql_expr_test"])
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "dashboard-queries.test.yml")
        with open(path, "w", encoding="utf-8") as f:
            yaml.safe_dump(test, f, sort_keys=False)
        run = subprocess.run([args.promtool, "test", "rules", path],
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if run.returncode != 0:
        print(run.stdout, file=sys.stderr)
        print(f"check_queries.py: {args.dashboard}: promtool test rules failed (above): each "
              f"failing expression starts with a comment naming its panel", file=sys.stderr)
        return 1
    print(f"check_queries.py: {count} expressions of {args.dashboard} parse and return series "
          f"on {args.exposition}'s samples")
    return 0


if __name__ == "__main__":
    sys.exit(main())
