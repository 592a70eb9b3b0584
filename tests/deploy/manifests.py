"""Building and checking the deployment files without a cluster or a Docker engine.

kustomize (or ``kubectl kustomize``) builds each overlay; every object it produces is validated
against the strict Kubernetes schemas bundled with kubernetes-validate, or, for a custom
resource, against the strict JSON Schema derived from its CRD and committed in
deploy/k8s/schemas (scripts/crd_schemas.py). Schemas cannot see across objects, so the
references between them (selectors, names, ports) are checked here too.
"""

from __future__ import annotations

import functools
import importlib
import importlib.resources
import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import yaml
from kubernetes_validate.utils import all_versions, latest_version, major_minor
from pydantic import SecretStr
from referencing import Registry, Resource

REPO = Path(__file__).resolve().parents[2]
DEPLOY = REPO / "deploy"
K8S = DEPLOY / "k8s"
CRD_SCHEMAS = K8S / "schemas"
OVERLAYS = sorted(path.parent for path in (K8S / "overlays").glob("*/kustomization.yaml"))
NAMESPACE = "ticketing"
#: the oldest Kubernetes the manifests support (deploy/k8s/README.md) and the newest bundled
KUBERNETES_VERSIONS = ("1.29", major_minor(latest_version()))
#: Secrets the manifests use but no overlay needs to generate (created by the operator)
EXTERNAL_SECRETS = frozenset({"ticketing-secrets"})
CLUSTER_SCOPED_KINDS = frozenset({"Namespace"})
WORKLOAD_KINDS = frozenset({"Deployment", "Job"})

Manifest = dict[str, Any]


class BuildFailed(Exception):
    pass


def kustomize_command(directory: Path) -> list[str]:
    """A kustomize build: the kustomize binary if there is one, else kubectl's built-in one
    (kustomize v5: components, `labels`; Debian's kubectl 1.20 has v2, which has neither)."""
    if kustomize := shutil.which("kustomize"):
        return [kustomize, "build", str(directory)]
    if kubectl := shutil.which("kubectl"):
        if kubectl_kustomize_major(kubectl) < 5:
            raise BuildFailed(f"{kubectl} embeds a kustomize older than v5: install kustomize")
        return [kubectl, "kustomize", str(directory)]
    raise BuildFailed("neither kustomize nor kubectl is on PATH (deploy/k8s/README.md)")


@functools.cache
def kubectl_kustomize_major(kubectl: str) -> int:
    version = subprocess.run(
        [kubectl, "version", "--client"], capture_output=True, text=True, timeout=30, check=False
    )
    found = re.search(r"Kustomize Version: v(\d+)\.", version.stdout)
    return int(found.group(1)) if found else 0


@functools.cache
def build(directory: Path) -> tuple[Manifest, ...]:
    command = kustomize_command(directory)
    result = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    if result.returncode != 0:
        raise BuildFailed(f"{' '.join(command)} failed:\n{result.stderr}")
    return tuple(doc for doc in yaml.safe_load_all(result.stdout) if doc)


def name_of(obj: Manifest) -> str:
    return f"{obj.get('kind')}/{obj.get('metadata', {}).get('name')}"


def by_kind(objects: tuple[Manifest, ...], kind: str) -> dict[str, Manifest]:
    return {o["metadata"]["name"]: o for o in objects if o.get("kind") == kind}


# ------------------------------------------------------------------ schemas


def _schema_dir(version: str) -> Path:
    """kubernetes-validate's strict schemas for `version` (its newest not newer, as it picks)."""
    full = [v for v in all_versions() if major_minor(v) <= major_minor(version)][-1]
    root = importlib.resources.files("kubernetes_validate") / "kubernetes-json-schema"
    return Path(str(root / f"v{full}-local-strict"))


@functools.cache
def _definitions(version: str) -> Registry[Any]:
    definitions = json.loads((_schema_dir(version) / "_definitions.json").read_text())
    registry: Registry[Any] = Resource.from_contents(definitions) @ Registry()
    return registry


@functools.cache
def _validator(schema_file: Path, version: str) -> Any:
    """A validator of the schema, its references resolved in the Kubernetes definitions."""
    schema = json.loads(schema_file.read_text())
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema, registry=Resource.from_contents(schema) @ _definitions(version))


def crd_schema_file(obj: Manifest) -> Path:
    return CRD_SCHEMAS / f"{obj.get('apiVersion')}" / f"{obj.get('kind')}.json"


def kubernetes_schema_file(obj: Manifest, version: str) -> Path:
    """kubernetes-validate's file for the kind: `deployment-apps-v1.json`, `service-v1.json`."""
    group_version = re.sub(r"^([^./]*)(?:\.[^/]*)?/", r"\1-", str(obj.get("apiVersion")))
    return _schema_dir(version) / f"{str(obj.get('kind')).lower()}-{group_version}.json"


def schema_errors(obj: Manifest, version: str) -> list[str]:
    """What the strict schema of the object's kind finds wrong with it (empty: valid): the
    committed one of a custom resource, else kubernetes-validate's for that version."""
    for schema_file in (crd_schema_file(obj), kubernetes_schema_file(obj, version)):
        if schema_file.is_file():
            errors = _validator(schema_file, version).iter_errors(obj)
            return [
                f"{name_of(obj)} ({schema_file.name}): {_where(e)}: {e.message}" for e in errors
            ]
    return [f"{name_of(obj)}: no schema for it, neither Kubernetes {version} nor in {CRD_SCHEMAS}"]


def _where(error: jsonschema.ValidationError) -> str:
    return ".".join(str(part) for part in error.absolute_path) or "(top)"


# ------------------------------------------------------------------ references between objects


def pod_specs(objects: tuple[Manifest, ...]) -> Iterator[tuple[Manifest, Manifest]]:
    for obj in objects:
        if obj.get("kind") in WORKLOAD_KINDS:
            yield obj, obj["spec"]["template"]


def selects(selector: dict[str, str], labels: dict[str, str]) -> bool:
    return bool(selector) and all(labels.get(k) == v for k, v in selector.items())


def reference_errors(objects: tuple[Manifest, ...]) -> list[str]:
    errors = _api_server_rule_errors(objects)
    errors += _namespace_errors(objects)
    errors += _workload_errors(objects)
    errors += _service_errors(objects)
    errors += _scaling_errors(objects)
    errors += _route_errors(objects)
    return errors


DNS_SUBDOMAIN = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
LABEL_VALUE = re.compile(r"^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$")


def _api_server_rule_errors(objects: tuple[Manifest, ...]) -> list[str]:
    """Rules the API server enforces that the OpenAPI schemas do not carry: names, label
    values, port ranges."""
    errors: list[str] = []
    for obj in objects:
        name = obj["metadata"]["name"]
        if len(name) > 253 or not DNS_SUBDOMAIN.match(name):
            errors.append(f"{name_of(obj)}: the name is no DNS subdomain (RFC 1123)")
        for key, value in obj["metadata"].get("labels", {}).items():
            if len(str(value)) > 63 or not LABEL_VALUE.match(str(value)):
                errors.append(f"{name_of(obj)}: label {key}: bad value {value!r}")
    ports = [
        (name_of(s), p["port"])
        for s in by_kind(objects, "Service").values()
        for p in s["spec"]["ports"]
    ]
    ports += [
        (name_of(obj), port["containerPort"])
        for obj, pod in pod_specs(objects)
        for container in pod["spec"]["containers"]
        for port in container.get("ports", [])
    ]
    errors += [
        f"{owner}: port {port} out of 1-65535" for owner, port in ports if not 0 < port < 65536
    ]
    return errors


def _namespace_errors(objects: tuple[Manifest, ...]) -> list[str]:
    errors = [] if NAMESPACE in by_kind(objects, "Namespace") else [f"no Namespace {NAMESPACE}"]
    for obj in objects:
        namespace = obj["metadata"].get("namespace")
        if obj["kind"] not in CLUSTER_SCOPED_KINDS and namespace != NAMESPACE:
            errors.append(f"{name_of(obj)}: namespace {namespace!r}, not {NAMESPACE!r}")
    return errors


def _secret_key_error(owner: str, ref: dict[str, Any], secrets: dict[str, Manifest]) -> str | None:
    secret = secrets.get(ref["name"])
    if secret is None:
        external = ref["name"] in EXTERNAL_SECRETS
        return None if external else f"{owner}: no Secret {ref['name']}"
    keys = set(secret.get("data", {})) | set(secret.get("stringData", {}))
    if "key" in ref and ref["key"] not in keys and not ref.get("optional"):
        return f"{owner}: Secret {ref['name']} has no key {ref['key']}"
    return None


def _container_errors(
    owner: str, container: Manifest, pod: Manifest, objects: tuple[Manifest, ...]
) -> list[str]:
    config_maps, secrets = by_kind(objects, "ConfigMap"), by_kind(objects, "Secret")
    where = f"{owner} container {container['name']}"
    errors: list[str] = []
    for source in container.get("envFrom", []):
        if "configMapRef" in source and source["configMapRef"]["name"] not in config_maps:
            errors.append(f"{where}: no ConfigMap {source['configMapRef']['name']}")
    for variable in container.get("env", []):
        value_from = variable.get("valueFrom", {})
        if "secretKeyRef" in value_from:
            error = _secret_key_error(where, value_from["secretKeyRef"], secrets)
            errors += [error] if error else []
        ref = value_from.get("configMapKeyRef")
        if ref and ref["key"] not in config_maps.get(ref["name"], {}).get("data", {}):
            errors.append(f"{where}: no key {ref['key']} in ConfigMap {ref['name']}")
    volumes = {v["name"] for v in pod["spec"].get("volumes", [])}
    for mount in container.get("volumeMounts", []):
        if mount["name"] not in volumes:
            errors.append(f"{where}: mounts undeclared volume {mount['name']}")
    errors += _hardening_errors(where, container, pod)
    return errors


def _hardening_errors(where: str, container: Manifest, pod: Manifest) -> list[str]:
    """What every container of ours has: limits, a locked-down context, probes on its ports."""
    errors: list[str] = []
    resources = container.get("resources", {})
    if not {"cpu", "memory"} <= set(resources.get("requests", {})) & set(
        resources.get("limits", {})
    ):
        errors.append(f"{where}: cpu and memory requests and limits are required")
    context = container.get("securityContext", {})
    if context.get("readOnlyRootFilesystem") is not True:
        errors.append(f"{where}: readOnlyRootFilesystem must be true")
    if context.get("allowPrivilegeEscalation") is not False:
        errors.append(f"{where}: allowPrivilegeEscalation must be false")
    if context.get("capabilities", {}).get("drop") != ["ALL"]:
        errors.append(f"{where}: capabilities must drop ALL")
    if pod["spec"].get("securityContext", {}).get("runAsNonRoot") is not True:
        errors.append(f"{where}: the pod must set runAsNonRoot")
    ports = {p.get("name") for p in container.get("ports", [])}
    ports |= {p["containerPort"] for p in container.get("ports", [])}
    for probe_name in ("readinessProbe", "livenessProbe", "startupProbe"):
        probe = container.get(probe_name)
        if probe and "httpGet" in probe and probe["httpGet"]["port"] not in ports:
            errors.append(f"{where}: {probe_name} on port {probe['httpGet']['port']} it lacks")
    return errors


def _workload_errors(objects: tuple[Manifest, ...]) -> list[str]:
    errors: list[str] = []
    config_maps = by_kind(objects, "ConfigMap")
    for obj, pod in pod_specs(objects):
        for volume in pod["spec"].get("volumes", []):
            if "configMap" in volume and volume["configMap"]["name"] not in config_maps:
                errors.append(f"{name_of(obj)}: no ConfigMap {volume['configMap']['name']}")
        for container in pod["spec"].get("initContainers", []):
            errors += _container_errors(name_of(obj), container, pod, objects)
        for container in pod["spec"]["containers"]:
            errors += _container_errors(name_of(obj), container, pod, objects)
            probes = {"readinessProbe", "livenessProbe"} - set(container)
            if obj["kind"] == "Deployment" and probes:
                errors.append(f"{name_of(obj)} container {container['name']}: no {probes}")
        own_pods = selects(
            obj["spec"].get("selector", {}).get("matchLabels", {}), pod["metadata"]["labels"]
        )
        if obj["kind"] == "Deployment" and not own_pods:
            errors.append(f"{name_of(obj)}: its selector does not select its own pods")
    return errors


def _service_errors(objects: tuple[Manifest, ...]) -> list[str]:
    errors: list[str] = []
    for service in by_kind(objects, "Service").values():
        pods = [
            pod
            for obj, pod in pod_specs(objects)
            if obj["kind"] == "Deployment"
            and selects(service["spec"].get("selector", {}), pod["metadata"]["labels"])
        ]
        if not pods:
            errors.append(f"{name_of(service)}: selects no Deployment's pods")
            continue
        names = {
            p.get("name") for pod in pods for c in pod["spec"]["containers"] for p in c["ports"]
        }
        numbers = {
            p["containerPort"]
            for pod in pods
            for c in pod["spec"]["containers"]
            for p in c["ports"]
        }
        for port in service["spec"]["ports"]:
            if port.get("targetPort", port["port"]) not in names | numbers:
                errors.append(
                    f"{name_of(service)}: targetPort {port.get('targetPort')} is no pod port"
                )
    return errors


def _scaling_errors(objects: tuple[Manifest, ...]) -> list[str]:
    deployments = by_kind(objects, "Deployment")
    errors: list[str] = []
    scaled: list[str] = []
    for kind in ("HorizontalPodAutoscaler", "ScaledObject"):
        for obj in by_kind(objects, kind).values():
            target = obj["spec"]["scaleTargetRef"]["name"]
            scaled.append(target)
            if target not in deployments:
                errors.append(f"{name_of(obj)}: scales Deployment {target}, which does not exist")
    errors += [
        f"Deployment {d}: scaled twice (an HPA and a ScaledObject)"
        for d in set(scaled)
        if scaled.count(d) > 1
    ]
    for pdb in by_kind(objects, "PodDisruptionBudget").values():
        selector = pdb["spec"]["selector"]["matchLabels"]
        if not any(
            selects(selector, d["spec"]["template"]["metadata"]["labels"])
            for d in deployments.values()
        ):
            errors.append(f"{name_of(pdb)}: selects no Deployment's pods")
    for auth in by_kind(objects, "TriggerAuthentication").values():
        for ref in auth["spec"].get("secretTargetRef", []):
            error = _secret_key_error(name_of(auth), ref, by_kind(objects, "Secret"))
            errors += [error] if error else []
    return errors


def _route_errors(objects: tuple[Manifest, ...]) -> list[str]:
    services = by_kind(objects, "Service")
    errors: list[str] = []
    for route in by_kind(objects, "HTTPRoute").values():
        for rule in route["spec"]["rules"]:
            for backend in rule.get("backendRefs", []):
                service = services.get(backend["name"])
                ports = {p["port"] for p in service["spec"]["ports"]} if service else set()
                if backend.get("port") not in ports:
                    errors.append(
                        f"{name_of(route)}: no Service {backend['name']} port {backend.get('port')}"
                    )
    return errors


# ------------------------------------------------------------------ the edge's routing table


def edge_routing(template: str) -> list[tuple[re.Pattern[str], str]]:
    """The edge's routing table: the `map $request_uri $ticketing_service` entries, in order
    (nginx tries a map's regular expressions in the order written)."""
    block = re.search(r"map \$request_uri \$ticketing_service \{(.*?)\n\}", template, re.DOTALL)
    if block is None:
        raise ValueError("no `map $request_uri $ticketing_service {...}` in the edge template")
    table = []
    for pattern, value in re.findall(r'^\s*"~(.+)"\s+(\S+);', block.group(1), re.MULTILINE):
        table.append((re.compile(pattern.replace("(?<", "(?P<")), value))
    return table


def edge_owner(table: list[tuple[re.Pattern[str], str]], request_uri: str) -> str:
    """The service the edge sends `request_uri` to ("": none, the edge answers itself)."""
    for pattern, value in table:
        match = pattern.search(request_uri)
        if match:
            return match.group(value[1:]) if value.startswith("$") else value
    return ""


def literal_prefixes(pattern: re.Pattern[str]) -> list[str]:
    """The paths an entry of the routing table names: `^/v1/(?:a|b)(?:[/?]|$)` → /v1/a, /v1/b."""
    body = pattern.pattern.removeprefix("^").removesuffix("(?:[/?]|$)")
    prefixes = [""]
    for literal, group in re.findall(r"([^(]*)(?:\((?:\?:|\?P<\w+>)([^()]*)\))?", body):
        alternatives = group.split("|") if group else [""]
        prefixes = [p + literal + a for p in prefixes for a in alternatives]
    unescaped = [p.replace("\\.", ".") for p in prefixes]
    if any(re.search(r"[\\^$*+?()\[\]{}]", p) for p in unescaped):
        raise ValueError(f"cannot list the paths of {pattern.pattern} (extend literal_prefixes)")
    return unescaped


def route_owner(routes: dict[str, Manifest], path: str) -> str:
    """The backend of the longest PathPrefix match among the HTTPRoutes (Gateway API
    precedence; a prefix matches whole path elements)."""
    best, owner = -1, ""
    for route in routes.values():
        for rule in route["spec"]["rules"]:
            for match in rule["matches"]:
                prefix = match["path"]["value"].rstrip("/")
                if match["path"]["type"] != "PathPrefix":
                    raise ValueError(f"{name_of(route)}: only PathPrefix matches are expected")
                hit = path == prefix or path.startswith(prefix + "/") or prefix == ""
                if hit and len(prefix) > best:
                    best, owner = len(prefix), rule["backendRefs"][0]["name"]
    return owner


# ------------------------------------------------------------------ the services' settings

SERVICES = ("gateway", "inventory", "orders", "payments", "documents", "notifications")


def setting_names(service: str) -> set[str]:
    """The environment variables the service's settings read (prefix TICKETING_)."""
    module = importlib.import_module(f"ticketing_{service}.settings")
    settings = getattr(module, f"{service.capitalize()}Settings")
    return {f"TICKETING_{name.upper()}" for name in settings.model_fields}


def secret_settings_with_defaults(service: str) -> set[str]:
    """The variables of the service's secret settings (``SecretStr``) that have a value when
    not given: each a dev default, which production must never run with."""
    module = importlib.import_module(f"ticketing_{service}.settings")
    settings = getattr(module, f"{service.capitalize()}Settings")
    return {
        f"TICKETING_{name.upper()}"
        for name, field in settings.model_fields.items()
        if isinstance(field.default, SecretStr) and field.default.get_secret_value()
    }


def unknown_settings(service: str, environment: set[str]) -> set[str]:
    """The TICKETING_ variables given to `service` that none of its settings reads: a typo or a
    setting that was renamed or removed (the service would silently use its default)."""
    return {v for v in environment if v.startswith("TICKETING_")} - setting_names(service)
