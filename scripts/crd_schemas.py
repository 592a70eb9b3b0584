"""Derive the JSON Schemas of the custom resources in deploy/k8s (committed in deploy/k8s/schemas).

The Kubernetes schemas come with kubernetes-validate; the custom resources' do not. Their source
is each CRD's ``openAPIV3Schema``, as the npm packages ``@kubernetes-models/*`` carry it (the
versions below were generated from the upstream release manifests named in SOURCES). This
script takes the packed packages, extracts each kind's schema and makes it a standalone JSON
Schema (draft 2020-12):

- ``metadata`` refers to the Kubernetes ObjectMeta of kubernetes-validate's definitions, so the
  metadata of a custom resource is checked exactly like a Deployment's;
- strict, as kubernetes-validate's ``-strict`` schemas: an object with declared properties
  rejects any other (the API server would drop an unknown field silently; a typo must fail);
- OpenAPI's ``nullable`` becomes a ``null`` in ``type``.

CEL rules (``x-kubernetes-validations``) are not in these schemas and are not checked.

    cd "$(mktemp -d)" && npm pack @kubernetes-models/gateway-api@0.5.1 @kubernetes-models/keda@0.3.2
    uv run python scripts/crd_schemas.py "$OLDPWD/deploy/k8s/schemas" "$PWD"/*.tgz
"""

from __future__ import annotations

import argparse
import json
import re
import tarfile
from pathlib import Path
from typing import Any

#: npm package tarball → (upstream CRD manifests it was generated from, kinds we use)
SOURCES: dict[str, tuple[str, list[str]]] = {
    "kubernetes-models-gateway-api-0.5.1.tgz": (
        "Gateway API v1.0.0 standard-install.yaml and experimental-install.yaml",
        ["gateway.networking.k8s.io/v1/HTTPRoute"],
    ),
    "kubernetes-models-keda-0.3.2.tgz": (
        "KEDA v2.10.1 keda-2.10.1.yaml",
        ["keda.sh/v1alpha1/ScaledObject", "keda.sh/v1alpha1/TriggerAuthentication"],
    ),
}
OBJECT_META = "https://kubernetes.io/api/_definitions.json#/$defs/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
SCHEMA_LITERAL = re.compile(r"^const schema = (\{.*?^\});$", re.MULTILINE | re.DOTALL)


def schema_literal(module_source: str) -> dict[str, Any]:
    match = SCHEMA_LITERAL.search(module_source)
    if match is None:
        raise ValueError("no `const schema = {...};` literal in the module")
    parsed: dict[str, Any] = json.loads(match.group(1))
    return parsed


def strict(node: Any) -> Any:
    """The schema with nullable turned into types and closed objects, recursively."""
    if isinstance(node, list):
        return [strict(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {key: strict(value) for key, value in node.items() if key != "nullable"}
    if node.get("nullable") and isinstance(out.get("type"), str):
        out["type"] = [out["type"], "null"]
    if "properties" in out and "additionalProperties" not in out:
        out["additionalProperties"] = False
    return out


def derive(raw: dict[str, Any], api_version: str, kind: str, origin: str) -> dict[str, Any]:
    schema = strict(raw)
    schema["properties"]["metadata"] = {"$ref": OBJECT_META}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://ticketing.invalid/crd-schemas/{api_version}/{kind}.json",
        "description": f"{kind} {api_version}, strict; by scripts/crd_schemas.py from {origin}",
        **schema,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("tarballs", type=Path, nargs="+")
    args = parser.parse_args()
    for tarball in args.tarballs:
        origin, kinds = SOURCES[tarball.name]
        with tarfile.open(tarball) as archive:
            for path in kinds:
                api_version, kind = path.rsplit("/", 1)
                member = archive.extractfile(f"package/{path}.js")
                assert member is not None, path
                raw = schema_literal(member.read().decode())
                target = args.out_dir / f"{path}.json"
                target.parent.mkdir(parents=True, exist_ok=True)
                derived = derive(raw, api_version, kind, f"{tarball.name} ({origin})")
                target.write_text(json.dumps(derived, indent=1, sort_keys=True) + "\n")
                print(f"{target}: {len(target.read_bytes())} bytes")


if __name__ == "__main__":
    main()
