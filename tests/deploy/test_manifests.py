"""The Kubernetes manifests: every overlay builds, every object is valid against the strict
Kubernetes / CRD schemas, the objects fit together, and the edge is deployed as the edge's
template needs. No cluster, no server."""

from __future__ import annotations

import base64
import copy
import json
import re
from pathlib import Path

import pytest

from tests.deploy.manifests import (
    CRD_SCHEMAS,
    K8S,
    KUBERNETES_VERSIONS,
    OVERLAYS,
    REPO,
    SERVICES,
    Manifest,
    build,
    by_kind,
    crd_schema_file,
    edge_owner,
    edge_routing,
    literal_prefixes,
    name_of,
    pod_specs,
    reference_errors,
    route_owner,
    schema_errors,
    secret_settings_with_defaults,
    unknown_settings,
)
from tests.support.edge import TEMPLATE as EDGE_TEMPLATE
from tests.support.edge import render, template_variables
from ticketing_gateway.domain.tokens import TokenSigner

overlays = pytest.mark.parametrize("overlay", OVERLAYS, ids=lambda path: path.name)


def test_the_overlays_are_the_documented_ones() -> None:
    assert {o.name for o in OVERLAYS} == {"dev", "production", "production-gateway-api"}


@overlays
@pytest.mark.parametrize("version", KUBERNETES_VERSIONS)
def test_every_object_is_valid_against_its_schema(overlay: Path, version: str) -> None:
    objects = build(overlay)
    errors = [error for obj in objects for error in schema_errors(obj, version)]
    assert errors == []
    assert len(objects) > 20


@overlays
def test_the_objects_refer_to_each_other_correctly(overlay: Path) -> None:
    assert reference_errors(build(overlay)) == []


@overlays
def test_every_variable_given_to_a_service_is_one_of_its_settings(overlay: Path) -> None:
    objects = build(overlay)
    shared = set(by_kind(objects, "ConfigMap")["ticketing-config"]["data"])
    # the shared ConfigMap: each variable is read by at least one service
    unread = {v for v in shared if all(unknown_settings(s, {v}) for s in SERVICES)}
    assert unread == set()
    for obj, pod in pod_specs(objects):
        for container in pod["spec"]["containers"]:
            if container["name"] in SERVICES:
                given = {v["name"] for v in container.get("env", [])}
                assert unknown_settings(container["name"], given) == set(), name_of(obj)


@overlays
def test_every_secret_with_a_dev_default_comes_from_the_secret(overlay: Path) -> None:
    """A secret setting left out of a manifest would run with its dev default, published in
    this repository (the order token secret was: anyone could open any order)."""
    for obj, pod in pod_specs(build(overlay)):
        if obj["kind"] != "Deployment":  # the migrations Job reads only its database
            continue
        for container in pod["spec"]["containers"]:
            if container["name"] not in SERVICES:
                continue
            from_secret = {
                v["name"]
                for v in container.get("env", [])
                if "secretKeyRef" in v.get("valueFrom", {})
            }
            missing = secret_settings_with_defaults(container["name"]) - from_secret
            assert missing == set(), name_of(obj)


@overlays
def test_the_services_verify_tokens_with_the_gateways_public_key(overlay: Path) -> None:
    objects = build(overlay)
    public_keys = json.loads(
        by_kind(objects, "ConfigMap")["ticketing-config"]["data"]["TICKETING_TOKEN_PUBLIC_KEYS"]
    )
    assert isinstance(public_keys, list)
    assert public_keys
    secret = by_kind(objects, "Secret").get("ticketing-secrets")
    if secret is None:  # production: the operator's Secret, a placeholder key here
        assert public_keys == ["REPLACE_WITH_THE_PUBLIC_HALF_OF_token-signing-key"]
        return
    seed = base64.b64decode(secret["data"]["token-signing-key"]).decode()
    assert TokenSigner(seed).public_key_b64 in public_keys


# ------------------------------------------------------------------ the edge


def edge_environment(objects: tuple[Manifest, ...]) -> dict[str, str]:
    container = edge_container(objects)
    config_maps = by_kind(objects, "ConfigMap")
    environment: dict[str, str] = {}
    for source in container.get("envFrom", []):
        environment |= config_maps[source["configMapRef"]["name"]]["data"]
    environment |= {v["name"]: v["value"] for v in container.get("env", []) if "value" in v}
    return environment


def edge_container(objects: tuple[Manifest, ...]) -> Manifest:
    containers = by_kind(objects, "Deployment")["edge"]["spec"]["template"]["spec"]["containers"]
    assert len(containers) == 1
    container: Manifest = containers[0]
    return container


@overlays
def test_the_edge_runs_the_edge_image_with_the_one_template(overlay: Path) -> None:
    """The image built from deploy/edge/Dockerfile (nginx and the web clients): the official
    nginx image served its welcome page, and the links of every customer e-mail led nowhere."""
    objects = build(overlay)
    pod = by_kind(objects, "Deployment")["edge"]["spec"]["template"]["spec"]
    container = edge_container(objects)
    name, tag = container["image"].rsplit(":", 1)
    assert name.rsplit("/", 1)[-1] in {"ticketing-edge", "edge"}, container["image"]
    assert tag == ("dev" if overlay.name == "dev" else "REPLACE_WITH_RELEASE_TAG")
    mounts = {m["mountPath"]: m["name"] for m in container["volumeMounts"]}
    volumes = {v["name"]: v for v in pod["volumes"]}
    templates = volumes[mounts["/etc/nginx/templates"]]["configMap"]["name"]
    data = by_kind(objects, "ConfigMap")[templates]["data"]
    assert data == {"default.conf.template": EDGE_TEMPLATE.read_text()}


@overlays
def test_the_storefront_gets_this_environments_payment_settings(overlay: Path) -> None:
    objects = build(overlay)
    pod = by_kind(objects, "Deployment")["edge"]["spec"]["template"]["spec"]
    [mount] = [
        m
        for m in edge_container(objects)["volumeMounts"]
        if m["mountPath"] == "/usr/share/nginx/html/storefront-config.json"
    ]
    volumes = {v["name"]: v for v in pod["volumes"]}
    config_map = by_kind(objects, "ConfigMap")[volumes[mount["name"]]["configMap"]["name"]]
    settings = json.loads(config_map["data"][mount["subPath"]])
    assert settings["stripe"]["mode"] == "stripe"  # Kubernetes talks to Stripe, not the emulator
    assert settings["stripe"]["publishable_key"].startswith("pk_")


@overlays
def test_a_gitops_sync_replaces_the_migrations_job(overlay: Path) -> None:
    """A Job's pod template is immutable: a sync of the next release is refused unless the tool
    replaces it (Flux reads ``enabled``, and ignores anything else)."""
    job = by_kind(build(overlay), "Job")["ticketing-migrations"]["metadata"]["annotations"]
    assert job["kustomize.toolkit.fluxcd.io/force"] == "enabled"
    assert job["argocd.argoproj.io/hook"] == "Sync"
    assert job["argocd.argoproj.io/hook-delete-policy"] == "BeforeHookCreation"


def test_the_edge_image_is_nginx_with_the_built_web_clients() -> None:
    dockerfile = (REPO / "deploy/edge/Dockerfile").read_text()
    stages = re.findall(r"^FROM (\S+)(?: AS (\w+))?$", dockerfile, re.MULTILINE)
    assert [alias for _, alias in stages] == ["web", ""]
    assert re.search(r"^ARG NGINX_IMAGE=nginx:[\d.]+-alpine$", dockerfile, re.MULTILINE)
    assert "RUN npm ci" in dockerfile
    assert "npm run build" in dockerfile
    assert "COPY --from=web /out/ /usr/share/nginx/html/" in dockerfile
    assert "COPY deploy/edge/templates/ /etc/nginx/templates/" in dockerfile
    ignored = (REPO / ".dockerignore").read_text().split()
    assert "web/node_modules/" in ignored  # the host's modules never enter the image


@overlays
def test_the_edge_sets_every_variable_of_the_template(overlay: Path) -> None:
    environment = edge_environment(build(overlay))
    assert template_variables() <= set(environment)
    assert re.search(r"\$\{TICKETING_[A-Z0-9_]+\}", render(environment)) is None
    # the image substitutes only the variables its filter matches
    assert all(re.search(environment["NGINX_ENVSUBST_FILTER"], v) for v in template_variables())


@overlays
def test_the_edge_reaches_each_service_on_its_port(overlay: Path) -> None:
    objects = build(overlay)
    environment = edge_environment(objects)
    services = by_kind(objects, "Service")
    upstreams = {k: v for k, v in environment.items() if k.endswith("_UPSTREAM")}
    names = {k.removeprefix("TICKETING_").removesuffix("_UPSTREAM").lower() for k in upstreams}
    assert names == {"gateway", "inventory", "orders", "payments", "documents", "notifications"}
    for variable, address in upstreams.items():
        host, port = address.rsplit(":", 1)
        assert int(port) in {p["port"] for p in services[host]["spec"]["ports"]}, variable
        assert variable == f"TICKETING_{host.upper()}_UPSTREAM"
    listen = environment["TICKETING_EDGE_LISTEN"]
    assert [p["containerPort"] for p in edge_container(objects)["ports"]] == [int(listen)]


@overlays
def test_the_edge_runs_unprivileged_on_a_read_only_root(overlay: Path) -> None:
    objects = build(overlay)
    pod = by_kind(objects, "Deployment")["edge"]["spec"]["template"]["spec"]
    container = edge_container(objects)
    assert pod["securityContext"]["runAsNonRoot"] is True
    assert pod["securityContext"]["runAsUser"] != 0
    assert container["securityContext"]["readOnlyRootFilesystem"] is True
    volumes = {v["name"]: v for v in pod["volumes"]}
    writable = {
        m["mountPath"] for m in container["volumeMounts"] if "emptyDir" in volumes[m["name"]]
    }
    assert writable == {"/etc/nginx/conf.d", "/var/cache/nginx", "/var/run"}
    assert container["readinessProbe"]["httpGet"]["path"] == "/healthz"
    assert "location = /healthz" in EDGE_TEMPLATE.read_text()


@overlays
def test_the_edge_scales_on_cpu_and_survives_drains(overlay: Path) -> None:
    objects = build(overlay)
    hpa = by_kind(objects, "HorizontalPodAutoscaler")["edge"]
    assert hpa["spec"]["scaleTargetRef"] == {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "name": "edge",
    }
    assert [m["resource"]["name"] for m in hpa["spec"]["metrics"]] == ["cpu"]
    pdb = by_kind(objects, "PodDisruptionBudget")["edge"]
    assert pdb["spec"]["selector"]["matchLabels"] == {"app.kubernetes.io/name": "edge"}


def cpu_scaled(objects: tuple[Manifest, ...]) -> set[str]:
    """The Deployments an autoscaler scales on CPU (an HPA's metric or a KEDA trigger)."""
    hpas = by_kind(objects, "HorizontalPodAutoscaler").values()
    scaled = {
        h["spec"]["scaleTargetRef"]["name"]
        for h in hpas
        if any(m.get("resource", {}).get("name") == "cpu" for m in h["spec"]["metrics"])
    }
    return scaled | {
        s["spec"]["scaleTargetRef"]["name"]
        for s in by_kind(objects, "ScaledObject").values()
        if any(t["type"] == "cpu" for t in s["spec"]["triggers"])
    }


@overlays
def test_every_service_customers_reach_over_http_scales_on_its_cpu(overlay: Path) -> None:
    """Holds, orders, intents, webhooks and renders never show in a queue: a service that
    scaled on its queue alone stayed at its minimum while its pods were busy."""
    http_paths = {"edge", "gateway", "inventory", "orders", "payments", "documents"}
    assert http_paths <= cpu_scaled(build(overlay))


@overlays
def test_no_autoscaled_deployment_states_its_replicas(overlay: Path) -> None:
    """A re-apply (a configuration fix on sale day) would set it back to that number."""
    objects = build(overlay)
    deployments = by_kind(objects, "Deployment")
    targets = {
        o["spec"]["scaleTargetRef"]["name"]
        for kind in ("HorizontalPodAutoscaler", "ScaledObject")
        for o in by_kind(objects, kind).values()
    }
    assert targets == set(deployments)
    assert [name for name, d in deployments.items() if "replicas" in d["spec"]] == []


@overlays
def test_every_service_pod_waits_for_its_migrations_before_it_starts(overlay: Path) -> None:
    """One GitOps apply starts the new pods together with the migrations Job: without the wait
    they served the new code on the old schema until the Job was done."""
    objects = build(overlay)
    [job] = by_kind(objects, "Job").values()
    migrating = {c["name"]: c for c in job["spec"]["template"]["spec"]["containers"]}
    for name in SERVICES:
        pod = by_kind(objects, "Deployment")[name]["spec"]["template"]["spec"]
        [waits] = pod["initContainers"]
        [serves] = [c for c in pod["containers"] if c["name"] == name]
        migrate = migrating[name]["command"][-1]
        assert waits["image"] == serves["image"] == migrating[name]["image"]
        assert waits["command"][-1] == migrate.replace(
            "import upgrade", "import wait_for_schema"
        ).replace("; upgrade(", "; wait_for_schema(")
        assert waits["env"] == [
            v for v in serves["env"] if v["name"] == "TICKETING_DATABASE_PASSWORD"
        ]
        assert waits["envFrom"] == serves["envFrom"]


@overlays
def test_a_busy_service_outlives_its_liveness_probe_for_a_minute(overlay: Path) -> None:
    """Every 3 s, 3 misses: a pod whose event loop was busy for 9 s (a batch of PDFs, a large
    seat file, a pause of the node) was killed mid-sale with its requests in flight. A dead
    process is seen within a minute all the same."""
    deployments = by_kind(build(overlay), "Deployment")
    for name in SERVICES:
        pod = deployments[name]["spec"]["template"]["spec"]
        [serves] = [c for c in pod["containers"] if c["name"] == name]
        probe = serves["livenessProbe"]
        assert probe["httpGet"]["path"] == "/healthz", name
        assert probe["periodSeconds"] * probe["failureThreshold"] >= 60, (name, probe)
        assert probe["timeoutSeconds"] >= 5, (name, probe)


@overlays
def test_a_drain_takes_one_pod_of_a_service_at_a_time(overlay: Path) -> None:
    """``minAvailable: 1`` let a node upgrade evict nine of ten replicas at once."""
    budgets = by_kind(build(overlay), "PodDisruptionBudget")
    assert {name: b["spec"] for name, b in budgets.items()} == {
        name: {"maxUnavailable": 1, "selector": b["spec"]["selector"]}
        for name, b in budgets.items()
    }


def test_the_production_edge_outlasts_the_load_balancers_health_checks() -> None:
    """Behind a cloud load balancer an edge pod gets new connections until the balancer's
    health checks see it go (10-30 s): it keeps serving that long, then finishes its requests."""
    objects = build(K8S / "overlays" / "production")
    pod = by_kind(objects, "Deployment")["edge"]["spec"]["template"]["spec"]
    command = edge_container(objects)["lifecycle"]["preStop"]["exec"]["command"]
    assert command[0] == "sleep"
    assert int(command[1]) >= 30
    assert pod["terminationGracePeriodSeconds"] >= int(command[1]) + 20


def test_every_example_address_production_gets_is_a_placeholder_of_its_overlay() -> None:
    """Left as the base has them, every link would point at example.com and every e-mail park:
    each such value must stand in the production overlay, where its placeholders are listed."""
    overlay = K8S / "overlays" / "production"
    objects = build(overlay)
    values = {
        value
        for config in by_kind(objects, "ConfigMap").values()
        for value in config.get("data", {}).values()
        if "example.com" in value or "example.internal" in value
    }
    assert values
    written = (overlay / "kustomization.yaml").read_text()
    assert [v for v in sorted(values) if v not in written] == []


@overlays
def test_only_the_way_in_is_exposed(overlay: Path) -> None:
    services = by_kind(build(overlay), "Service")
    exposed = {
        name for name, s in services.items() if s["spec"].get("type", "ClusterIP") != "ClusterIP"
    }
    expected = {"edge"} if overlay.name == "production" else set()
    assert exposed == expected
    if expected:
        assert services["edge"]["spec"]["externalTrafficPolicy"] == "Local"  # client addresses


# ------------------------------------------------------------------ Gateway API alternative


def test_the_http_routes_send_each_path_where_the_edge_does() -> None:
    routes = by_kind(build(K8S / "overlays" / "production-gateway-api"), "HTTPRoute")
    table = edge_routing(EDGE_TEMPLATE.read_text())
    edge_paths = [p for pattern, _ in table for p in literal_prefixes(pattern)]
    route_paths = [
        m["path"]["value"]
        for r in routes.values()
        for rule in r["spec"]["rules"]
        for m in rule["matches"]
    ]
    assert len(edge_paths) > 20
    for path in sorted(set(edge_paths + route_paths)):
        for probe in (path, path.rstrip("/") + "/x", path.rstrip("/") + "x"):
            expected = edge_owner(table, probe) or "edge"  # the edge itself: web root, 404
            assert route_owner(routes, probe) == expected, probe


def test_the_http_routes_use_only_standard_fields() -> None:
    """The CRD schemas carry the experimental channel too; clusters often run the standard one."""
    routes = by_kind(build(K8S / "overlays" / "production-gateway-api"), "HTTPRoute")
    for route in routes.values():
        assert set(route["spec"]) == {"parentRefs", "hostnames", "rules"}
        for rule in route["spec"]["rules"]:
            assert set(rule) == {"matches", "backendRefs"}


# ------------------------------------------------------------------ the checks themselves


def built_object(kind: str, name: str) -> Manifest:
    objects = build(K8S / "overlays" / "production-gateway-api")
    return copy.deepcopy(by_kind(objects, kind)[name])


@pytest.mark.parametrize(
    ("kind", "name", "breakage", "complaint"),
    [
        (
            "Deployment",
            "edge",
            lambda o: o["spec"]["template"]["spec"].update(replica=2),
            "replica",
        ),
        ("Deployment", "edge", lambda o: o["spec"].update(replicas="two"), "'two'"),
        ("Service", "edge", lambda o: o["spec"]["ports"][0].update(port="http"), "'http'"),
        ("HTTPRoute", "orders", lambda o: o["spec"]["parentRefs"][0].update(name=""), "parentRefs"),
        ("HorizontalPodAutoscaler", "edge", lambda o: o["spec"].pop("maxReplicas"), "maxReplicas"),
        (
            "HTTPRoute",
            "orders",
            lambda o: o["spec"]["rules"][0]["matches"][0]["path"].update(type="Prefix"),
            "Prefix",
        ),
        (
            "HTTPRoute",
            "orders",
            lambda o: o["spec"]["rules"][0].update(backendRef=[]),
            "backendRef",
        ),
        ("ScaledObject", "orders", lambda o: o["spec"].pop("scaleTargetRef"), "scaleTargetRef"),
        (
            "TriggerAuthentication",
            "rabbitmq",
            lambda o: o["spec"].update(secretRef=[]),
            "secretRef",
        ),
    ],
)
def test_a_broken_object_is_refused_by_its_schema(kind, name, breakage, complaint) -> None:
    obj = built_object(kind, name)
    assert schema_errors(obj, KUBERNETES_VERSIONS[0]) == []
    breakage(obj)
    errors = schema_errors(obj, KUBERNETES_VERSIONS[0])
    assert errors, f"{kind}/{name} passed its schema after the breakage"
    assert complaint in " ".join(errors)


def test_an_object_of_unknown_kind_is_refused() -> None:
    obj = {"apiVersion": "example.com/v1", "kind": "Widget", "metadata": {"name": "w"}}
    assert "no schema" in " ".join(schema_errors(obj, KUBERNETES_VERSIONS[0]))


def test_a_broken_reference_is_found() -> None:
    objects = build(K8S / "overlays" / "production-gateway-api")
    broken = copy.deepcopy(objects)
    for obj in broken:
        if obj["kind"] == "Service" and obj["metadata"]["name"] == "orders":
            obj["spec"]["selector"] = {"app.kubernetes.io/name": "order"}
        if obj["kind"] == "Service" and obj["metadata"]["name"] == "edge":
            obj["spec"]["ports"][0]["port"] = 70000
        if obj["kind"] == "HTTPRoute" and obj["metadata"]["name"] == "documents":
            obj["metadata"]["name"] = "Documents_Route"
        if obj["kind"] == "HTTPRoute" and obj["metadata"]["name"] == "payments":
            obj["spec"]["rules"][0]["backendRefs"][0]["port"] = 28080
        if obj["kind"] == "Deployment" and obj["metadata"]["name"] == "edge":
            obj["spec"]["template"]["spec"]["containers"][0]["securityContext"].pop(
                "readOnlyRootFilesystem"
            )
    errors = reference_errors(broken)
    assert any("Service/edge: port 70000 out of 1-65535" in e for e in errors)
    assert any("HTTPRoute/Documents_Route: the name is no DNS subdomain" in e for e in errors)
    assert any("Service/orders: selects no" in e for e in errors)
    assert any("HTTPRoute/payments: no Service payments port 28080" in e for e in errors)
    assert any("Deployment/edge container nginx: readOnlyRootFilesystem" in e for e in errors)


def test_a_variable_no_setting_reads_is_found() -> None:
    assert unknown_settings("orders", {"TICKETING_PAYMENT_WINDOW_S"}) == set()
    assert unknown_settings("orders", {"TICKETING_PAYMENTS_WINDOW_S", "OTHER"}) == {
        "TICKETING_PAYMENTS_WINDOW_S"
    }


def test_every_committed_crd_schema_is_used() -> None:
    used = {crd_schema_file(o) for overlay in OVERLAYS for o in build(overlay)}
    committed = set(CRD_SCHEMAS.rglob("*.json"))
    assert committed <= used
    assert {path.stem for path in committed} == {
        "HTTPRoute",
        "ScaledObject",
        "TriggerAuthentication",
    }


def _selects(selector: Manifest, labels: dict[str, str]) -> bool:
    return all(labels.get(k) == v for k, v in selector.get("matchLabels", {}).items())


def test_in_production_the_edge_is_the_only_way_in() -> None:
    """Any pod of the cluster could call a service directly, past the edge's per-buyer limits
    and body limit, and read every /metrics."""
    objects = build(K8S / "overlays" / "production")
    policies = by_kind(objects, "NetworkPolicy")
    assert policies["default-deny-ingress"]["spec"] == {
        "podSelector": {},
        "policyTypes": ["Ingress"],
    }
    pods = {
        name: d["spec"]["template"]["metadata"]["labels"]
        for name, d in by_kind(objects, "Deployment").items()
    }
    allowed = {
        name: [
            p
            for p in policies.values()
            if p["spec"].get("ingress") and _selects(p["spec"]["podSelector"], labels)
        ]
        for name, labels in pods.items()
    }
    assert all(allowed.values()), allowed  # every Deployment's pods are reachable some way
    [edge] = allowed["edge"]
    assert "from" not in edge["spec"]["ingress"][0]  # from anywhere
    for service in SERVICES:
        [rule] = [r for p in allowed[service] for r in p["spec"]["ingress"]]
        sources = rule["from"]
        assert {"podSelector": {"matchLabels": {"app.kubernetes.io/name": "edge"}}} in sources
        assert all("ipBlock" not in s for s in sources)
        assert not any(s == {} or s.get("namespaceSelector") == {} for s in sources), sources


def test_behind_a_gateway_its_data_plane_reaches_the_services_too() -> None:
    objects = build(K8S / "overlays" / "production-gateway-api")
    rule = by_kind(objects, "NetworkPolicy")["services-from-the-platform"]["spec"]["ingress"][0]
    gateway = {
        "namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "gateway-system"}}
    }
    assert gateway in rule["from"]


def test_the_dev_overlay_has_no_network_policies() -> None:
    """Its PostgreSQL, RabbitMQ and Redis run in the namespace: a default deny would cut them."""
    assert by_kind(build(K8S / "overlays" / "dev"), "NetworkPolicy") == {}
