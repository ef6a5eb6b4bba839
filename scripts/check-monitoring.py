"""Checks deploy/prometheus and deploy/grafana against the metrics Velkommen has.

usage: check-monitoring.py [BINARY]

- The dashboard is well-formed JSON as Grafana provisions it: schemaVersion, unique panel ids, the data
  source the `DS_PROMETHEUS` variable everywhere, and every query valid PromQL (promtool checks them as
  recording rules, Grafana's variables replaced).
- Every metric the dashboard and the alerts read is one the app declares (a CoreMetrics Counter, Gauge or
  Timer label in Sources/App) or one of the exporters the alerts assume (up, probe_success, node_exporter's
  filesystem metrics); a typo fails here, not silently on a blank panel.
- Every metric the app declares has a panel.
- Given the binary: runs `velkommen serve` (the demo, with its simulator), logs a member in, and checks that
  every family its /metrics exposes is one the source declares, so the reading of the source sees them all.
"""
import json
import os
import pathlib
import re
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
DASHBOARD = ROOT / "deploy/grafana/velkommen-dashboard.json"
ALERTS = ROOT / "deploy/prometheus/velkommen-alerts.yml"
EXTERNAL = {"up", "probe_success", "node_filesystem_avail_bytes", "node_filesystem_size_bytes"}
KEYWORDS = {"and", "or", "unless", "bool", "offset", "by", "without", "on", "ignoring", "group_left", "group_right", "inf", "nan"}
GRAFANA_VARIABLES = {"$__rate_interval": "5m", "$__range": "1h", "$__interval": "1m", "$instance": ".*"}

failures = []


def fail(message):
    failures.append(message)
    print("FAIL " + message)


def declared_families():
    """name -> kind (counter, gauge, histogram) for every metric label in Sources/App."""
    families = {}
    for path in (ROOT / "Sources/App").rglob("*.swift"):
        text = path.read_text()
        for kind, name in re.findall(r'\b(Counter|Gauge|Timer|Recorder|Meter)\(\s*label:\s*"([a-z_:][a-z0-9_:]*)"', text):
            families[name] = "histogram" if kind in ("Timer", "Recorder") else kind.lower()
    return families


def series_names(families):
    names = set()
    for name, kind in families.items():
        names |= {name + suffix for suffix in ("_bucket", "_sum", "_count")} if kind == "histogram" else {name}
    return names


def metrics_in(expr):
    """The metric names a PromQL expression reads (no parser here: label matchers, grouping clauses,
    ranges and strings are removed, and an identifier not followed by "(" is a metric or a keyword)."""
    for variable, value in GRAFANA_VARIABLES.items():
        expr = expr.replace(variable, value)
    expr = re.sub(r'"(?:[^"\\]|\\.)*"', '""', expr)
    expr = re.sub(r"\{[^}]*\}", "", expr)
    expr = re.sub(r"\[[^\]]*\]", "", expr)
    expr = re.sub(r"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", " ", expr)
    names = set()
    for match in re.finditer(r"(?<![\w.])([a-zA-Z_:][a-zA-Z0-9_:]*)\s*(\()?", expr):
        if match.group(2) is None and match.group(1) not in KEYWORDS:
            names.add(match.group(1))
    return names


def dashboard_queries(dashboard):
    """(where, expr) for every query of every panel and of the template variables."""
    queries = []
    for panel in dashboard.get("panels", []):
        for target in panel.get("targets", []):
            queries.append((f'panel {panel.get("id")} "{panel.get("title")}"', target.get("expr", "")))
    for variable in dashboard["templating"]["list"]:
        if variable["type"] == "query":
            metric = re.match(r"label_values\(([a-zA-Z_:][a-zA-Z0-9_:]*)", variable.get("definition", ""))
            queries.append((f'variable {variable["name"]}', metric.group(1) if metric else ""))
    return queries


def check_dashboard_shape(dashboard):
    if not 36 <= dashboard.get("schemaVersion", 0) <= 41:
        fail(f'schemaVersion {dashboard.get("schemaVersion")} is not one Grafana 10/11 provisions as is')
    variables = {v["name"]: v for v in dashboard["templating"]["list"]}
    if variables.get("DS_PROMETHEUS", {}).get("type") != "datasource":
        fail("no data source variable DS_PROMETHEUS")
    ids = [panel["id"] for panel in dashboard["panels"]]
    if len(ids) != len(set(ids)):
        fail("panel ids are not unique")
    for panel in dashboard["panels"]:
        grid = panel["gridPos"]
        if grid["x"] + grid["w"] > 24:
            fail(f'panel {panel["id"]} is wider than the grid')
        if panel["type"] == "row":
            continue
        sources = [panel.get("datasource")] + [t.get("datasource") for t in panel.get("targets", [])]
        if any(source != {"type": "prometheus", "uid": "${DS_PROMETHEUS}"} for source in sources):
            fail(f'panel {panel["id"]} "{panel["title"]}" does not read from ${{DS_PROMETHEUS}}')
        if not panel.get("targets"):
            fail(f'panel {panel["id"]} "{panel["title"]}" has no query')


def check_promql(queries):
    """promtool parses every dashboard query, as the expression of a recording rule."""
    rules = {"groups": [{"name": "dashboard", "rules": [
        {"record": f"dashboard:query_{index}", "expr": _substituted(expr)} for index, (_, expr) in enumerate(queries) if expr]}]}
    with tempfile.NamedTemporaryFile("w", suffix=".yml", delete=False) as file:
        json.dump(rules, file)  # JSON is YAML
    try:
        result = subprocess.run(["promtool", "check", "rules", file.name], capture_output=True, text=True)
        if result.returncode != 0:
            fail("a dashboard query is not valid PromQL:\n" + result.stdout + result.stderr)
    finally:
        os.unlink(file.name)


def _substituted(expr):
    for variable, value in GRAFANA_VARIABLES.items():
        expr = expr.replace(variable, value)
    return expr


def alert_expressions():
    text = ALERTS.read_text()
    # The rules file is YAML; its expressions are either one line after `expr:` or a block after `expr: |`.
    expressions = []
    lines = text.splitlines()
    for index, line in enumerate(lines):
        match = re.match(r"(\s*)expr:\s*(.*)$", line)
        if not match:
            continue
        if match.group(2).strip() not in ("|", ">", "|-", ">-"):
            expressions.append(match.group(2))
            continue
        indent, block = len(match.group(1)), []
        for following in lines[index + 1:]:
            if following.strip() and len(following) - len(following.lstrip()) <= indent:
                break
            block.append(following)
        expressions.append("\n".join(block))
    return expressions


def live_families(binary):
    sys.path.insert(0, str(ROOT / "scripts"))
    import flows

    folder = tempfile.mkdtemp(prefix="velkommen-monitoring-")
    metrics_port = flows.free_port()
    server = flows.Server(binary, os.path.join(folder, "velkommen.sqlite"), flows.free_port(), os.path.join(folder, "serve.log"),
                          extra=["--metrics-port", str(metrics_port)])
    try:
        flows.log_in(server, flows.MEMBERS[0][0])
        flows.request(server.port, "GET", "/no-such-page")
        status, _, text = flows.request(metrics_port, "GET", "/metrics")
        assert status == 200, f"/metrics answered {status}"
    finally:
        server.stop()
    return dict(re.findall(r"^# TYPE (\S+) (\S+)$", text, re.M))


def main():
    families = declared_families()
    known = series_names(families)
    print(f"declared in Sources/App: {', '.join(sorted(families))}")
    try:
        dashboard = json.loads(DASHBOARD.read_text())
    except json.JSONDecodeError as error:
        fail(f"{DASHBOARD} is not JSON: {error}")
        return
    check_dashboard_shape(dashboard)
    queries = dashboard_queries(dashboard)
    check_promql(queries)
    used_by_dashboard = set()
    for where, expr in queries:
        for name in metrics_in(expr):
            used_by_dashboard.add(name)
            if name not in known | EXTERNAL:
                fail(f"{where} reads {name}, which the app does not declare")
    for expr in alert_expressions():
        for name in metrics_in(expr):
            if name not in known | EXTERNAL:
                fail(f"an alert reads {name}, which the app does not declare: {expr.strip()[:100]}")
    for name, kind in sorted(families.items()):
        if not any(series in used_by_dashboard for series in series_names({name: kind})):
            fail(f"the dashboard has no panel for {name}")
    if len(sys.argv) > 1:
        exposed = live_families(sys.argv[1])
        print(f"exposed by a running server after one login: {', '.join(sorted(exposed))}")
        for name, kind in sorted(exposed.items()):
            if families.get(name) != kind:
                fail(f"/metrics exposes {name} ({kind}), which the source reading found as {families.get(name)}")


main()
if failures:
    sys.exit(f"check-monitoring: {len(failures)} problem(s)")
print("check-monitoring: dashboard and alerts read only metrics the app has; every metric has a panel")
