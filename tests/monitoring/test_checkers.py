#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Unit tests of the monitoring checks themselves (python3 -m unittest):
check_series.py finds the metric names in PromQL and nothing else, and
fails for a name the endpoint does not export; check_dashboard.py refuses
what Grafana's schemas and the shipped-dashboard rules refuse;
check_queries.py feeds promtool the exposition as a scrape would store it;
and the endpoint's own answer (print_exposition's, its path in
WARDEN_EXPOSITION) has exactly the families docs/observability.md lists,
with the labels it lists."""
import copy
import json
import os
import re
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)

import check_dashboard  # noqa: E402
import check_queries  # noqa: E402
import check_series  # noqa: E402
from check_series import PromQLError, metric_names  # noqa: E402

DASHBOARD = os.path.join(SOURCE, "packaging", "monitoring", "warden-dashboard.json")
SCHEMAS = os.path.join(HERE, "data", "grafana-foundation-sdk")
EXPOSITION = os.environ.get("WARDEN_EXPOSITION", "")
OBSERVABILITY = os.path.join(SOURCE, "docs", "observability.md")


class MetricNames(unittest.TestCase):
    def test_names_and_not_functions_labels_keywords_or_durations(self):
        cases = {
            'sum by (type, worker) (rate(foo_total{a="b", c=~"x|y"}[5m]))': ["foo_total"],
            "sum(rate(foo_total[5m])) without (instance)": ["foo_total"],
            "a * on (instance, job) group_left (state, phase) b": ["a", "b"],
            "a * ignoring (le) group_right b": ["a", "b"],
            "a / on () group_left c": ["a", "c"],
            "histogram_quantile(0.95, sum by (le) (rate(h_bucket[$__rate_interval])))": ["h_bucket"],
            "x offset 5m and y @ start()": ["x", "y"],
            "max_over_time(rate(x[5m])[30m:1m])": ["x"],
            "1e3 * x + 0x1F - .5 + Inf - NaN": ["x"],
            'label_replace(x, "dst", "$1", "src", "(by|on) y")': ["x"],
            '{__name__="foo", job="bar"}': ["foo"],
            'count_values("version", x)': ["x"],
            "x == bool 1 unless z or w": ["x", "z", "w"],
            "# a comment naming not_a_metric\nreal_one": ["real_one"],
            'foo{a="}", b=\'{\'}': ["foo"],
            'x{instance=~"$instance", worker=~"${worker:regex}"} > [[threshold]]': ["x"],
            "topk(5, x) and bottomk(2, y)": ["x", "y"],
            "time() - vector(1)": [],
            "sum without (a) (x)": ["x"],
            "count by (instance) (up)": ["up"],
        }
        for expr, names in cases.items():
            with self.subTest(expr=expr):
                self.assertEqual(metric_names(expr), names)

    def test_an_unknown_function_is_an_error_not_a_metric(self):
        with self.assertRaisesRegex(PromQLError, r"unknown function rat\(\)"):
            metric_names("rat(x[5m])")

    def test_a_name_by_pattern_cannot_be_checked(self):
        with self.assertRaisesRegex(PromQLError, "cannot be checked"):
            metric_names('{__name__=~"warden_.*"}')

    def test_broken_input_is_an_error(self):
        for expr in ['x{a="b"', 'x{a="b}', "rate(x[5m)", "x{a}"]:
            with self.subTest(expr=expr), self.assertRaises(PromQLError):
                metric_names(expr)

    def test_grafana_variable_queries(self):
        q = check_series.grafana_variable_query
        self.assertEqual(q("label_values(warden_build_info, instance)"), "warden_build_info")
        self.assertEqual(q('label_values(m{a="x,y"}, b)'), 'm{a="x,y"}')
        self.assertIsNone(q("label_values(instance)"))
        self.assertIsNone(q("label_names()"))
        self.assertEqual(q("query_result(up == 0)"), "up == 0")
        with self.assertRaises(PromQLError):
            q("metrics(warden_.*)")


class Exported(unittest.TestCase):
    EXPOSITION = "\n".join([
        "# TYPE h histogram",
        'h_bucket{le="+Inf"} 1',
        "h_sum 1",
        "h_count 1",
        "# TYPE g gauge",
        "# TYPE c_total counter",
        "c_total 3",
        "# TYPE om counter",
        "# TYPE s summary",
        'plain{a="b"} 1',
    ])

    def test_names_from_samples_and_type_lines(self):
        names = check_series.exported_names(self.EXPOSITION)
        for name in ["h_bucket", "h_sum", "h_count", "g", "c_total", "om", "om_total", "s",
                     "s_sum", "s_count", "plain"]:
            self.assertIn(name, names)
        self.assertNotIn("h", names)

    def check(self, files):
        with tempfile.TemporaryDirectory() as tmp:
            paths = []
            for name, text in files.items():
                path = os.path.join(tmp, name)
                with open(path, "w", encoding="utf-8") as f:
                    f.write(text)
                paths.append(path)
            return check_series.check(self.EXPOSITION, paths)[0]

    def test_each_name_not_exported_is_reported_with_where(self):
        rules = "groups:\n- name: g1\n  rules:\n  - alert: A\n    expr: rate(nope_total[5m]) > h\n"
        problems = self.check({"r.yml": rules})
        self.assertEqual(len(problems), 2, problems)
        self.assertIn("group 'g1' rule A: nope_total is not exported", problems[0])
        self.assertIn("h is not exported (a histogram: query its _bucket, _sum or _count)",
                      problems[1])

    def test_dashboards_and_rule_tests_are_read_too(self):
        dashboard = {"panels": [{"type": "row", "title": "R", "panels": [
            {"type": "timeseries", "title": "P", "targets": [{"refId": "A", "expr": "missing_a"}]}]}],
            "templating": {"list": [{"type": "query", "name": "v",
                                     "query": "label_values(missing_b, instance)"}]},
            "annotations": {"list": [{"name": "N", "expr": "missing_c > 0"}]}}
        tests = ("rule_files: [r.yml]\ntests:\n- input_series:\n  - series: 'missing_d{a=\"b\"}'\n"
                 "    values: '1'\n  promql_expr_test:\n  - expr: missing_e\n")
        problems = self.check({"d.json": json.dumps(dashboard), "t.yml": tests})
        for name, where in [("missing_a", "row 'R', panel 'P' query A"), ("missing_b", "variable $v"),
                            ("missing_c", "annotation 'N'"), ("missing_d", "input series"),
                            ("missing_e", "promql_expr_test")]:
            self.assertTrue(any(name in p and where in p for p in problems), (name, problems))

    def test_up_is_prometheus_own(self):
        self.assertEqual(self.check({"r.yml": "groups:\n- name: g\n  rules:\n  - alert: A\n"
                                               "    expr: up == 0\n"}), [])


class Dashboard(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        with open(DASHBOARD, encoding="utf-8") as f:
            cls.dashboard = json.load(f)

    def problems(self, change):
        dashboard = copy.deepcopy(self.dashboard)
        change(dashboard)
        return check_dashboard.check(dashboard, SCHEMAS)

    def panel(self, dashboard, kind):
        return next(p for p in dashboard["panels"] if p["type"] == kind)

    def test_the_shipped_dashboard_passes(self):
        self.assertEqual(self.problems(lambda d: None), [])

    def test_what_grafanas_schemas_refuse_is_refused(self):
        def first_target(d):
            return self.panel(d, "timeseries")["targets"][0]

        cases = [
            ("an unknown dashboard key", lambda d: d.update(__inputs=[]),
             "dashboard: Additional properties"),
            ("no schemaVersion", lambda d: d.pop("schemaVersion"),
             "'schemaVersion' is a required property"),
            ("a timeseries without a legend",
             lambda d: self.panel(d, "timeseries")["options"].pop("legend"),
             "options: 'legend' is a required property"),
            ("an unknown stat option",
             lambda d: self.panel(d, "stat")["options"].update(sparkline=True),
             "options: Additional properties"),
            ("an unknown query key", lambda d: first_target(d).update(query="x"),
             "query A: Additional properties"),
            ("a query format Grafana lacks", lambda d: first_target(d).update(format="graph"),
             "query A/format"),
            ("a panel wider than the grid", lambda d: self.panel(d, "table")["gridPos"].update(w=25),
             "gridPos/w"),
            ("a table cell type that is not its options'",
             lambda d: self.panel(d, "table")["fieldConfig"]["defaults"]["custom"].update(
                 cellOptions={"type": "color-text", "mode": "basic"}),
             "cellOptions"),
            ("an override unit that is not a string",
             lambda d: self.panel(d, "table")["fieldConfig"]["overrides"].append(
                 {"matcher": {"id": "byName", "options": "x"},
                  "properties": [{"id": "unit", "value": 5}]}),
             "overrides/"),
            ("an override of a property no field has",
             lambda d: self.panel(d, "table")["fieldConfig"]["overrides"].append(
                 {"matcher": {"id": "byName", "options": "x"},
                  "properties": [{"id": "custom.nope", "value": 1}]}),
             "no such field config property"),
        ]
        for what, change, expected in cases:
            with self.subTest(what):
                problems = self.problems(change)
                self.assertTrue(any(expected in p for p in problems), problems)

    def test_what_a_shipped_dashboard_must_not_have_is_refused(self):
        def other_panel_type(d):
            d["panels"][1]["type"] = "graph"

        def same_id(d):
            d["panels"][2]["id"] = d["panels"][1]["id"]

        def past_the_grid(d):
            d["panels"][1]["gridPos"].update(x=20, w=8)

        def local_datasource(d):
            d["panels"][1]["datasource"] = {"type": "prometheus", "uid": "P1809F7CD0C75ACF3"}

        def unknown_variable(d):
            self.panel(d, "timeseries")["targets"][0]["expr"] += ' * on () group_left vector($nope)'

        cases = [(other_panel_type, "no schema for panel type 'graph'"),
                 (same_id, "is also"),
                 (past_the_grid, "past 24 columns"),
                 (local_datasource, "datasource is not"),
                 (unknown_variable, "$nope is no template variable")]
        for change, expected in cases:
            with self.subTest(change.__name__):
                problems = self.problems(change)
                self.assertTrue(any(expected in p for p in problems), problems)


class Queries(unittest.TestCase):
    def test_series_as_a_scrape_stores_them(self):
        series = check_queries.input_series("\n".join([
            "# TYPE c_total counter", 'c_total{a="b"} 3',
            "# TYPE g gauge", "g 0.5",
            "# TYPE h histogram", 'h_bucket{le="+Inf"} 2', "h_sum 1.5", "h_count 2",
            'x{instance="mine"} 1 1700000000000',
        ]))
        by_name = {s["series"]: s["values"] for s in series}
        self.assertEqual(by_name['up{instance="warden-test:9478",job="warden"}'], "1+0x10")
        self.assertEqual(by_name['c_total{a="b",instance="warden-test:9478",job="warden"}'], "3+1x10")
        self.assertEqual(by_name['g{instance="warden-test:9478",job="warden"}'], "0.5+0x10")
        self.assertEqual(by_name['h_bucket{le="+Inf",instance="warden-test:9478",job="warden"}'],
                         "2+1x10")
        self.assertEqual(by_name['h_sum{instance="warden-test:9478",job="warden"}'], "1.5+1x10")
        self.assertEqual(by_name['x{instance="mine",job="warden"}'], "1+0x10")

    def test_grafana_variables_are_replaced_and_unknown_ones_refused(self):
        self.assertEqual(check_queries.substitute('rate(x{a=~"$a", b=~"${b:regex}"}[$__rate_interval])',
                                                  {"a": ".*", "b": ".*"}),
                         'rate(x{a=~".*", b=~".*"}[2m])')
        with self.assertRaisesRegex(ValueError, r"\$c is no variable"):
            check_queries.substitute("x[$c]", {})


class EndpointExposition(unittest.TestCase):
    def test_it_has_every_series_the_document_lists_with_its_labels(self):
        self.assertTrue(EXPOSITION, "WARDEN_EXPOSITION names no file (ctest sets it)")
        with open(OBSERVABILITY, encoding="utf-8") as f:
            doc = f.read()
        with open(EXPOSITION, encoding="utf-8") as f:
            exposition = f.read()
        documented = {}
        for line in doc.splitlines():
            m = re.match(r"\| `(warden_[a-z0-9_]+)` \| (\w+) \|(.*)", line)
            if not m:
                continue
            name, kind, rest = m.groups()
            cells = [c.strip() for c in rest.split("|")]
            # Tables with a Labels column: its names before any "=".
            labels = set(re.findall(r"`([a-z_]+)`(?: = [^,]*)?", cells[0])) if len(cells) > 2 else None
            if name.startswith("warden_plugin_") and name != "warden_plugin_info":
                labels = {"type", "worker"}  # "with type and worker labels"
            documented[name] = (kind, labels)
        self.assertGreater(len(documented), 30)

        types = dict(re.findall(r"^# TYPE (\S+) (\S+)$", exposition, re.M))
        labels_seen = {}
        for line in exposition.splitlines():
            if line.startswith("#") or not line.strip():
                continue
            m = re.match(r"([a-z_:][a-z0-9_:]*)(?:\{(.*)\})? ", line)
            family = re.sub(r"_(bucket|sum|count)$", "", m.group(1))
            if types.get(family) != "histogram":
                family = m.group(1)
            names = set(re.findall(r'([a-z_]+)="', m.group(2) or "")) - {"le"}
            labels_seen.setdefault(family, set()).update(names)
        for name, (kind, labels) in documented.items():
            with self.subTest(name):
                self.assertEqual(types.get(name), kind)
                self.assertIn(name, labels_seen, "no sample")
                if labels is not None:
                    self.assertEqual(labels_seen[name], labels)
        self.assertEqual(set(types), set(documented), "families the document does not list")


if __name__ == "__main__":
    unittest.main()
