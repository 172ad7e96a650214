#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Checks a Grafana dashboard against Grafana's own JSON schemas, as the
grafana-foundation-sdk publishes them (data/grafana-foundation-sdk/, whose
README names the release and what each schema comes from):

    check_dashboard.py --schemas DIR DASHBOARD.json

- the whole dashboard against dashboard.jsonschema.json (the classic
  dashboard JSON, schemaVersion 42: what Grafana's import and file
  provisioning read);
- each panel's options, and its fieldConfig.defaults.custom, against the
  schema of its panel type (TYPE.jsonschema.json, definitions Options and
  FieldConfig): a panel of a type with no schema in DIR is an error;
- each query of a Prometheus data source against prometheus.jsonschema.json
  (its Dataquery).

Where the published JSON schema is narrower than Grafana's model, the check
follows the model, and says so here: the converter that writes the JSON
schemas turns CUE's top type `_` ("any", as the same release's TypeScript
types say) into "an object". Grafana writes non-objects in three such places,
which this check accepts as any JSON value: an override's property value
(DynamicConfigValue.value: a unit is a string, mappings an array), a field
matcher's options (MatcherConfig.options: byName takes the field's name), and
the values of a variable's query object (VariableModel.query). And the
table's cell options are a union told apart by `type` (the TypeScript types:
`type: TableCellDisplayMode.Auto`, ...), which the JSON schema lost: each
branch takes every mode, so any cell options match several branches and its
oneOf refuses them all. The check gives each branch its own mode back (the
`default` the schema keeps for it), which is stricter, not looser.

Then what Grafana's schema cannot say but a dashboard shipped to others needs:
- every panel has a unique id and fits the 24-column grid;
- every panel and query uses the data source variable ${datasource}, never a
  data source of the machine it was made on;
- every $variable a query uses is one of the dashboard's template variables
  or one of Grafana's ($__rate_interval, $__interval, $__range...);
- the `datasource` variable is a Prometheus data source variable;
- an override's properties are field config properties (Grafana's, or the
  panel type's custom.*), each value valid as it would be in the defaults.

Exit status: 0 when the dashboard passes, 1 with each problem printed, 2 for
unusable input.
"""
import argparse
import copy
import json
import os
import re
import sys

try:
    import jsonschema
except ImportError:  # pragma: no cover - depends on the machine
    sys.exit("check_dashboard.py: needs python3-jsonschema (Debian package python3-jsonschema)")

ANY = {}
# Grafana's global variables a query may use.
GRAFANA_VARIABLES = {
    "__rate_interval", "__rate_interval_ms", "__interval", "__interval_ms", "__range",
    "__range_s", "__range_ms", "__from", "__to", "__dashboard", "__org", "__user",
    "__timezone",
}
DATASOURCE = {"type": "prometheus", "uid": "${datasource}"}


def load_schema(directory, name):
    path = os.path.join(directory, f"{name}.jsonschema.json")
    with open(path, encoding="utf-8") as f:
        schema = json.load(f)
    jsonschema.validators.validator_for(schema).check_schema(schema)
    return schema


def dashboard_schema(directory):
    """dashboard.jsonschema.json with the three `any` places the module
    docstring names widened back to any JSON value."""
    schema = copy.deepcopy(load_schema(directory, "dashboard"))
    d = schema["definitions"]
    d["DynamicConfigValue"]["properties"]["value"] = ANY
    d["MatcherConfig"]["properties"]["options"] = ANY
    query = d["VariableModel"]["properties"]["query"]
    assert query["oneOf"][1]["type"] == "object", "the schema changed: look again"
    query["oneOf"][1]["additionalProperties"] = ANY
    return schema


def panel_schema(directory, kind):
    """The schema of a panel type (its plugin id without dashes names the
    file: state-timeline is statetimeline.jsonschema.json), or None."""
    try:
        schema = copy.deepcopy(load_schema(directory, kind.replace("-", "")))
    except FileNotFoundError:
        return None
    union = schema.get("definitions", {}).get("TableCellOptions")
    if union:
        for branch in union["oneOf"]:
            options = schema["definitions"][branch["$ref"].rsplit("/", 1)[1]]
            mode = options["properties"]["type"]
            assert "default" in mode, "the schema changed: look again"
            options["properties"]["type"] = {"const": mode["default"]}
    return schema


def definition(schema, name):
    """A schema that validates against `name` in schema's definitions."""
    if name not in schema.get("definitions", {}):
        return None
    return {"$schema": schema.get("$schema"), "$ref": f"#/definitions/{name}",
            "definitions": schema["definitions"]}


def resolve(schema, node):
    """node with its local $ref chain followed."""
    while "$ref" in node:
        node = schema["definitions"][node["$ref"].rsplit("/", 1)[1]]
    return node


def property_schema(schema, definition_name, prop):
    """A schema for property `prop` of definition `definition_name`, or None."""
    node = schema.get("definitions", {}).get(definition_name)
    if node is None:
        return None
    prop_schema = resolve(schema, node).get("properties", {}).get(prop)
    if prop_schema is None:
        return None
    return dict(prop_schema, definitions=schema["definitions"], **{"$schema": schema.get("$schema")})


def leaf_errors(error):
    """The errors that say why: for a oneOf or anyOf that nothing matched,
    those of the branch that got furthest into the instance (a panel is
    judged as a panel, not as a row)."""
    if not error.context:
        return [error]
    branches = {}
    for sub in error.context:
        branches.setdefault(sub.relative_schema_path[0], []).append(sub)
    best = max(branches.values(),
               key=lambda subs: (max(len(sub.absolute_path) for sub in subs), -len(subs)))
    return [leaf for sub in best for leaf in leaf_errors(sub)]


def errors(schema, instance, where):
    validator = jsonschema.validators.validator_for(schema)(schema)
    out = []
    for e in validator.iter_errors(instance):
        for leaf in leaf_errors(e):
            path = "/".join(str(p) for p in leaf.absolute_path)
            message = leaf.message if len(leaf.message) <= 300 else leaf.message[:300] + "..."
            out.append(f"{where}{'/' + path if path else ''}: {message}")
    return sorted(set(out))


def all_panels(dashboard):
    """(panel, where) for every panel, rows' nested panels included."""
    for panel in dashboard.get("panels") or []:
        yield panel, f"panel {panel.get('title')!r}"
        for child in panel.get("panels") or []:
            yield child, f"row {panel.get('title')!r}, panel {child.get('title')!r}"


def variables_used(text):
    """The names of the variables ($name, ${name}, ${name:format}, [[name]])
    a query uses."""
    found = re.findall(
        r"\$\{([A-Za-z0-9_]+)(?::[^}]*)?\}|\$([A-Za-z0-9_]+)|\[\[([A-Za-z0-9_]+)\]\]", text)
    return {a or b or c for a, b, c in found}


def check(dashboard, schema_dir):
    dash_schema = dashboard_schema(schema_dir)
    problems = errors(dash_schema, dashboard, "dashboard")
    prometheus = load_schema(schema_dir, "prometheus")
    dataquery = definition(prometheus, "Dataquery")
    panel_schemas = {}

    variables = {v.get("name"): v for v in (dashboard.get("templating") or {}).get("list") or []}
    ds = variables.get("datasource")
    if not ds or ds.get("type") != "datasource" or ds.get("query") != "prometheus":
        problems.append("templating: no variable `datasource` of type datasource for prometheus")
    known = set(variables) | GRAFANA_VARIABLES

    def uses(text, where):
        for name in sorted(variables_used(text)):
            if name not in known:
                problems.append(f"{where}: ${name} is no template variable of this dashboard")

    for name, var in variables.items():
        if var.get("type") == "query":
            if var.get("datasource") != DATASOURCE:
                problems.append(f"variable {name}: datasource is not {DATASOURCE}")
            uses(json.dumps(var.get("query")), f"variable {name}")

    for ann in (dashboard.get("annotations") or {}).get("list") or []:
        if ann.get("builtIn") == 1:
            continue
        if ann.get("datasource") != DATASOURCE:
            problems.append(f"annotation {ann.get('name')!r}: datasource is not {DATASOURCE}")
        uses(ann.get("expr", ""), f"annotation {ann.get('name')!r}")

    ids = {}
    for panel, where in all_panels(dashboard):
        pid = panel.get("id")
        if pid in ids:
            problems.append(f"{where}: id {pid} is also {ids[pid]}'s")
        ids[pid] = where
        pos = panel.get("gridPos") or {}
        right = pos.get("x", 0) + pos.get("w", 0)
        if right > 24:
            problems.append(f"{where}: gridPos x + w = {right}, past 24 columns")
        kind = panel.get("type")
        if kind == "row":
            continue
        if panel.get("datasource") != DATASOURCE:
            problems.append(f"{where}: datasource is not {DATASOURCE}")
        if kind not in panel_schemas:
            panel_schemas[kind] = panel_schema(schema_dir, kind)
        schema = panel_schemas[kind]
        if schema is None:
            problems.append(f"{where}: no schema for panel type {kind!r} in {schema_dir}")
            continue
        options = definition(schema, "Options")
        if options:
            problems += errors(options, panel.get("options", {}), f"{where} options")
        custom = definition(schema, "FieldConfig")
        defaults = (panel.get("fieldConfig") or {}).get("defaults") or {}
        if custom and "custom" in defaults:
            problems += errors(custom, defaults["custom"], f"{where} fieldConfig.defaults.custom")
        # An override sets what the defaults set: each property's value
        # must be what the same key takes there.
        for n, override in enumerate((panel.get("fieldConfig") or {}).get("overrides") or []):
            for prop in override.get("properties") or []:
                pid = prop.get("id", "")
                ow = f"{where} fieldConfig.overrides/{n} {pid}"
                if pid.startswith("custom."):
                    target_schema = property_schema(schema, "FieldConfig", pid[len("custom."):])
                else:
                    target_schema = property_schema(dash_schema, "FieldConfig", pid)
                if target_schema is None:
                    problems.append(f"{ow}: no such field config property for a {kind} panel")
                elif "value" in prop:
                    problems += errors(target_schema, prop["value"], ow)
        for target in panel.get("targets") or []:
            tw = f"{where} query {target.get('refId')}"
            if target.get("datasource") != DATASOURCE:
                problems.append(f"{tw}: datasource is not {DATASOURCE}")
                continue
            problems += errors(dataquery, target, tw)
            uses(target.get("expr", ""), tw)
    return problems


def main(argv=None):
    parser = argparse.ArgumentParser(description="Check a Grafana dashboard against Grafana's schemas.")
    parser.add_argument("--schemas", required=True, help="directory of the *.jsonschema.json files")
    parser.add_argument("dashboard")
    args = parser.parse_args(argv)
    try:
        with open(args.dashboard, encoding="utf-8") as f:
            dashboard = json.load(f)
        problems = check(dashboard, args.schemas)
    except (OSError, ValueError, jsonschema.exceptions.SchemaError) as e:
        print(f"check_dashboard.py: {e}", file=sys.stderr)
        return 2
    for line in problems:
        print(f"{args.dashboard}: {line}", file=sys.stderr)
    if problems:
        print(f"check_dashboard.py: {len(problems)} problem(s)", file=sys.stderr)
        return 1
    panels = sum(1 for _ in all_panels(dashboard))
    print(f"check_dashboard.py: {args.dashboard} ({panels} panels) passes Grafana's schemas "
          f"in {args.schemas} and the checks for a shipped dashboard")
    return 0


if __name__ == "__main__":
    sys.exit(main())
