"""docker-compose.yml: it is valid against the Compose Specification's schema, every service
has what it needs, and from outside the platform is reachable only through the edge.
`docker compose config` needs a Docker engine; this reads the file as compose does (YAML with
merge keys), validates it with the schema check-jsonschema vendors, and checks what compose
would only find at `up`. No server."""

from __future__ import annotations

import importlib
import importlib.resources
import json
import re
from typing import Any

import jsonschema
import pytest
import yaml

from tests.deploy.manifests import REPO, unknown_settings
from tests.support.edge import TEMPLATE as EDGE_TEMPLATE
from tests.support.edge import render, template_variables
from ticketing_gateway.domain.tokens import TokenSigner

COMPOSE_FILE = REPO / "docker-compose.yml"
PLATFORM = ("gateway", "inventory", "orders", "payments", "documents", "notifications")
INFRASTRUCTURE = ("postgres", "redis", "rabbitmq")
#: the dev tools publish their own control APIs (outages, mail listing), nothing of the platform
DEV_TOOL_PORTS = {"stripe-emulator": ["28090:28090"], "smtp-sink": ["28026:28026"]}
URL = re.compile(r"^[a-z]+://(?:[^@/]*@)?([A-Za-z0-9.-]+):(\d+)")


def compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(COMPOSE_FILE.read_text())
    return loaded


def services() -> dict[str, dict[str, Any]]:
    return dict(compose()["services"])


def listening_port(name: str, service: dict[str, Any]) -> int | None:
    environment = service.get("environment", {})
    if name == "edge":
        return int(environment["TICKETING_EDGE_LISTEN"])
    port = environment.get("TICKETING_HTTP_PORT")
    return int(port) if port else None


def neighbour_addresses(name: str) -> set[str]:
    """The variables of the service's settings that name another service's local address."""
    module = importlib.import_module(f"ticketing_{name}.settings")
    settings = getattr(module, f"{name.capitalize()}Settings")
    return {
        f"TICKETING_{field_name.upper()}"
        for field_name, field in settings.model_fields.items()
        if re.match(r"^http://127\.0\.0\.1:2808[0-9]$", str(field.default))
    }


def specification_errors(document: dict[str, Any]) -> list[str]:
    vendored = importlib.resources.files("check_jsonschema") / "builtin_schemas" / "vendor"
    schema = json.loads((vendored / "compose-spec.json").read_text())
    validator = jsonschema.validators.validator_for(schema)(schema)
    return [
        f"{'.'.join(map(str, e.absolute_path))}: {e.message}"
        for e in validator.iter_errors(document)
    ]


def test_the_file_is_valid_against_the_compose_specification() -> None:
    assert specification_errors(compose()) == []


def test_the_file_has_the_platform_the_edge_and_the_tools() -> None:
    assert set(services()) == {*PLATFORM, *INFRASTRUCTURE, "edge", *DEV_TOOL_PORTS}


def published(every: dict[str, dict[str, Any]]) -> dict[str, list[str]]:
    return {name: s["ports"] for name, s in every.items() if s.get("ports")}


def test_from_outside_only_the_edge_is_reachable() -> None:
    assert published(services()) == {"edge": ["28080:8080"], **DEV_TOOL_PORTS}


def test_the_edge_is_the_edge_image_with_the_one_template() -> None:
    edge = services()["edge"]
    assert edge["build"]["dockerfile"] == "deploy/edge/Dockerfile"  # nginx and the web clients
    mounts = {target: source for source, target, *_ in (v.split(":") for v in edge["volumes"])}
    # the image renders /etc/nginx/templates/*.template: the repository's one template
    assert (REPO / mounts["/etc/nginx/templates"]).resolve() == EDGE_TEMPLATE.parent
    assert set(edge["tmpfs"]) == {"/etc/nginx/conf.d", "/var/cache/nginx", "/var/run"}
    assert edge["read_only"] is True
    assert edge["user"] != "0"


def test_the_edge_sets_every_variable_of_the_template() -> None:
    environment = {k: str(v) for k, v in services()["edge"]["environment"].items()}
    assert template_variables() <= set(environment)
    assert re.search(r"\$\{TICKETING_[A-Z0-9_]+\}", render(environment)) is None
    assert all(re.search(environment["NGINX_ENVSUBST_FILTER"], v) for v in template_variables())


def test_the_edge_reaches_each_service_where_it_listens() -> None:
    all_services = services()
    edge = all_services["edge"]
    for name in PLATFORM:
        host, port = edge["environment"][f"TICKETING_{name.upper()}_UPSTREAM"].rsplit(":", 1)
        assert host == name
        assert int(port) == listening_port(name, all_services[name])
    published = edge["ports"][0].split(":")[-1]
    assert int(published) == listening_port("edge", edge)
    # nginx resolves the upstream names once, at start: every service must be up by then
    assert {name: d["condition"] for name, d in edge["depends_on"].items()} == dict.fromkeys(
        PLATFORM, "service_healthy"
    )
    # each service waits at start for the gateway's withdrawn tokens: a gateway that waited
    # for them in turn cost every start 10 s
    assert not set(all_services["gateway"]["depends_on"]) & set(PLATFORM)


@pytest.mark.parametrize("name", PLATFORM)
def test_every_variable_given_to_a_service_is_one_of_its_settings(name: str) -> None:
    assert unknown_settings(name, set(services()[name]["environment"])) == set()


@pytest.mark.parametrize("name", PLATFORM)
def test_every_service_is_told_where_the_services_it_calls_are(name: str) -> None:
    """A service's address of another defaults to 127.0.0.1, which in a container is itself:
    one left out fails only at the call (the console's e-mails, an invitation's end)."""
    assert neighbour_addresses(name) - set(services()[name]["environment"]) == set()


def test_the_services_verify_tokens_with_the_gateways_public_key() -> None:
    signing_key = services()["gateway"]["environment"]["TICKETING_TOKEN_SIGNING_KEY"]
    for name in PLATFORM:
        public_keys = json.loads(services()[name]["environment"]["TICKETING_TOKEN_PUBLIC_KEYS"])
        assert TokenSigner(signing_key).public_key_b64 in public_keys, name


def test_every_address_in_the_environment_is_a_service_of_the_file() -> None:
    all_services = services()
    for name, service in all_services.items():
        for variable, value in service.get("environment", {}).items():
            match = URL.match(str(value))
            if not match or match.group(1) == "localhost":
                continue
            host, port = match.group(1), int(match.group(2))
            assert host in all_services, f"{name} {variable}: no service {host}"
            known = listening_port(host, all_services[host])
            assert known in (None, port), f"{name} {variable}: {host} listens on {known}"


def service_errors(every: dict[str, Any], name: str) -> list[str]:
    """What `docker compose up` would trip over in this service: a missing image name or
    Dockerfile, bind mount or named volume, dependency, or healthcheck to wait for."""
    service = every["services"][name]
    errors = [] if "image" in service else ["no image name (built or pulled)"]
    if "build" in service:
        dockerfile = REPO / service["build"]["context"] / service["build"]["dockerfile"]
        errors += [] if dockerfile.is_file() else [f"no Dockerfile {dockerfile}"]
    for volume in service.get("volumes", []):
        source = volume.split(":")[0]
        if source.startswith("."):
            errors += [] if (REPO / source).exists() else [f"bind mount {source} does not exist"]
        elif source not in every.get("volumes", {}):
            errors.append(f"named volume {source} is not declared")
    for dependency, how in service.get("depends_on", {}).items():
        if dependency not in every["services"]:
            errors.append(f"depends on {dependency}, which is no service")
        elif how["condition"] == "service_healthy" and not has_healthcheck(
            every["services"][dependency]
        ):
            errors.append(f"waits for {dependency} to be healthy, which has no healthcheck")
    return errors


def has_healthcheck(service: dict[str, Any]) -> bool:
    if "healthcheck" in service:
        return True
    if "build" not in service:
        return False
    dockerfile = REPO / service["build"]["context"] / service["build"]["dockerfile"]
    return bool(re.search(r"^HEALTHCHECK ", dockerfile.read_text(), re.MULTILINE))


@pytest.mark.parametrize("name", sorted(services()))
def test_every_service_has_what_it_needs(name: str) -> None:
    assert service_errors(compose(), name) == []


@pytest.mark.parametrize("name", PLATFORM)
def test_every_service_is_built_from_the_one_dockerfile_for_its_own_port(name: str) -> None:
    service = services()[name]
    build = service["build"]
    assert build["dockerfile"] == "services/Dockerfile"
    assert build["args"]["SERVICE"] == name
    assert int(build["args"]["PORT"]) == listening_port(name, service)


def test_only_documents_adds_os_packages_to_its_image() -> None:
    extra = {n: services()[n]["build"]["args"].get("OS_PACKAGES") for n in PLATFORM}
    assert [n for n, packages in extra.items() if packages] == ["documents"]
    assert "libpango-1.0-0" in str(extra["documents"])


def test_a_broken_file_is_found() -> None:
    """The checks above do fail: on the file with a misspelt key, a wrongly typed value, the
    gateway published again, a template directory that is not there, a healthcheck missing."""
    broken = compose()
    broken["services"]["gateway"]["ports"] = ["28086:28086"]
    broken["services"]["edge"]["volumes"][0] = "./deploy/edge/template:/etc/nginx/templates:ro"
    broken["services"]["stripe-emulator"]["depends_on"] = {
        "smtp-sink": {"condition": "service_healthy"}
    }
    broken["services"]["edge"]["restrat"] = "always"
    broken["services"]["edge"]["healthcheck"] = {"test": "true", "interval": 10}
    errors = specification_errors(broken)
    assert "services.edge.healthcheck.interval: 10 is not of type 'string'" in errors
    assert any(e.startswith("services.edge: ") and "'restrat'" in e for e in errors)
    assert published(broken["services"]) != {"edge": ["28080:8080"], **DEV_TOOL_PORTS}
    assert service_errors(broken, "edge") == ["bind mount ./deploy/edge/template does not exist"]
    assert service_errors(broken, "stripe-emulator") == [
        "waits for smtp-sink to be healthy, which has no healthcheck"
    ]


def test_merge_keys_are_resolved() -> None:
    """Every service gets the shared environment through a YAML merge key (<<)."""
    for name in PLATFORM:
        environment = services()[name]["environment"]
        assert environment["TICKETING_DATABASE_HOST"] == "postgres"
        assert "<<" not in environment
