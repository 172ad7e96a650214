#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Writes cluster_properties.inc: the Redpanda cluster properties the
`redpanda` worker knows, from Redpanda's own sources.

    gen_cluster_properties.py CONFIGURATION_H CONFIGURATION_CC CLUSTER_CONFIG_JSON \
        cluster_aliases.inc > cluster_properties.inc

CONFIGURATION_H and CONFIGURATION_CC are src/v/config/configuration.{h,cc} of
redpanda-data/redpanda (the table in the repository came from commit
1c6cff34, v24.3 era); CLUSTER_CONFIG_JSON is the body `GET /v1/cluster_config`
of a real v24.3.8 broker returned (tests/fixtures/redpanda_fixture/data/cluster_config.json).
Each row: the name, the JSON kind of its value, whether null is allowed,
whether a change needs a restart (Redpanda's needs_restart, which defaults to
yes), and plain-number bounds where the source states them.
"""
import json
import re
import sys

UNITS = {"": 1, "ms": 1, "s": 1000, "min": 60_000, "h": 3_600_000,
         "_KiB": 1024, "_MiB": 1024**2, "_GiB": 1024**3}


def cpp_kind(cpp_type):
    nullable = False
    t = cpp_type.strip()
    m = re.fullmatch(r"std::optional<(.*)>", t)
    if m:
        nullable, t = True, m.group(1).strip()
    if t == "bool":
        return "boolean", nullable
    if t.startswith("std::vector") or t.startswith("std::unordered") or t.startswith("std::set"):
        return "array", nullable
    if t in ("double", "float"):
        return "number", nullable
    if re.fullmatch(r"(u?int(8|16|32|64)?_t|int|unsigned|size_t|long|uint32_t|int64_t|"
                    r"std::chrono::\w+|uint)", t):
        return "integer", nullable
    return "string", nullable


def first_argument(arguments):
    """The first of a template's comma-separated arguments."""
    depth = 0
    for i, c in enumerate(arguments):
        depth += c == "<"
        depth -= c == ">"
        if c == "," and depth == 0:
            return arguments[:i]
    return arguments


def bound(text):
    text = text.strip()
    m = re.fullmatch(r"(\d+)(ms|s|min|h|_KiB|_MiB|_GiB)?", text)
    if not m:
        return None
    return int(m.group(1)) * UNITS[m.group(2) or ""]


def main(header, source, body, alias_output):
    declared = {}
    # One declaration per statement, whatever its line breaks.
    code = re.sub(r"//[^\n]*", "", open(header).read())
    for statement in re.sub(r"\s+", " ", code).split(";"):
        m = re.fullmatch(r"\s*(?:enterprise<)?((?:config::)?\w+<.*>)>?\s+(\w+)\s*", statement)
        if not m:
            continue
        pm = re.fullmatch(r"(?:config::)?(\w+)<(.*)>", m.group(1).strip())
        if pm:
            declared[m.group(2)] = (pm.group(1), first_argument(pm.group(2)))
    text = open(source).read()
    values = json.load(open(body))
    rows = []
    aliases = []
    for m in re.finditer(r"\n  [,:] (\w+)\(\s*\*this,\s*(?:\w+::\w+,\s*)?\"([a-z]\w+)\",", text):
        member, name = m.group(1), m.group(2)
        end = text.find("\n  , ", m.end())
        block = text[m.end(): end if end != -1 else len(text)]
        restart = "needs_restart::no" not in block
        listed = re.search(r"\.aliases\s*=\s*\{([^}]*)\}", block)
        for alias in re.findall(r'"(\w+)"', listed.group(1) if listed else ""):
            aliases.append((alias, name))
        if member not in declared:
            continue
        wrapper, cpp_type = declared[member]
        if wrapper in ("enterprise",):
            continue
        kind, nullable = cpp_kind(cpp_type)
        if wrapper == "enum_property":
            kind = "string"
        value = values.get(name, None)
        if isinstance(value, bool):
            kind = "boolean"
        elif isinstance(value, int):
            kind = "integer"
        elif isinstance(value, float):
            kind = "number"
        elif isinstance(value, str):
            kind = "string"
        elif isinstance(value, list):
            kind = "array"
        elif value is None and name in values:
            nullable = True
        lo = hi = None
        if wrapper == "bounded_property":
            bm = re.search(r"\{\s*\.min\s*=\s*([^,}]+)(?:,\s*\.max\s*=\s*([^,}]+))?\s*\}\s*\)?\s*$",
                           block.strip().rstrip(")"))
            if bm:
                lo = bound(bm.group(1))
                hi = bound(bm.group(2)) if bm.group(2) else None
        # Redpanda's source registers one name twice (leader_balancer_mute_timeout,
        # for two members); the first is the one GET /v1/cluster_config shows.
        if any(row[0] == name for row in rows):
            continue
        rows.append((name, kind, nullable, restart, lo, hi))
    known = {row[0] for row in rows}
    for name, value in values.items():
        if name in known:
            continue
        kind = ("boolean" if isinstance(value, bool) else "integer" if isinstance(value, int)
                else "number" if isinstance(value, float) else "array"
                if isinstance(value, list) else "string")
        rows.append((name, kind, value is None, False, None, None))
    rows.sort()
    print("// cluster_properties.inc — generated by tools/gen_cluster_properties.py from")
    print("// Redpanda's src/v/config/configuration.{h,cc} (redpanda-data/redpanda 1c6cff34)")
    print("// and a real v24.3.8 broker's GET /v1/cluster_config. Do not edit by hand.")
    print("// name, kind, nullable, needs restart, min, max (-1: none)")
    for name, kind, nullable, restart, lo, hi in rows:
        print('{"%s", Kind::%s, %s, %s, %s, %s},' % (
            name, kind, "true" if nullable else "false", "true" if restart else "false",
            lo if lo is not None else -1, hi if hi is not None else -1))
    print("// %d properties" % len(rows), file=sys.stderr)
    with open(alias_output, "w") as out:
        print("// cluster_aliases.inc — generated by tools/gen_cluster_properties.py with", file=out)
        print("// cluster_properties.inc. Do not edit by hand.", file=out)
        print("// alias, the property's name", file=out)
        for alias, name in sorted(aliases):
            print('{"%s", "%s"},' % (alias, name), file=out)


if __name__ == "__main__":
    main(*sys.argv[1:5])
