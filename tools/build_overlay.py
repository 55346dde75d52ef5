#!/usr/bin/env python3
"""Build the spec overlay: what the 2014-10-01 API Reference says that
botocore's EC2 model does not.

Usage: python tools/build_overlay.py [--catalog PATH] [--samples PATH] [--out PATH]

Inputs:  conformance/catalog/data/spec-2014-10-01.json (tools/spec_extract.py)
         tests/data/spec_samples/2014-10-01.json       (same script)
         botocore's ec2 service-2 model, API version 2014-10-01
Output:  conformance/catalog/data/overlay-2014-10-01.json

Every entry carries "spec_ref" (the spec section it comes from) and, where
it is inferred rather than read literally, a "reason".  The botocore model
has no error shapes for EC2 at all, so all error information is overlay.

The hand-curated tables (tools/overlay-tables-2014-10-01.json) are the
judgement calls; everything else is computed.  Each table is checked against the catalog (codes must exist in
the spec, quotes must occur verbatim, prefixes must appear in the spec) so
a typo in a table fails the build instead of producing a silent overlay.
"""

import argparse
import json
import re
import sys
from pathlib import Path

from botocore.loaders import Loader

from ec2_conformance.catalog import ec2_wire_name, load_service_model

REPO_ROOT = Path(__file__).resolve().parent.parent
CATALOG = REPO_ROOT / "conformance" / "catalog" / "data" / "spec-2014-10-01.json"
SAMPLES = REPO_ROOT / "tests" / "data" / "spec_samples" / "2014-10-01.json"
OVERLAY_OUT = REPO_ROOT / "conformance" / "catalog" / "data" / "overlay-2014-10-01.json"
API_VERSION = "2014-10-01"
SERVICE = load_service_model(API_VERSION)  # the same model, as botocore's shape objects

SPECIFIC = "Client Errors For Specific Actions"
# The hand-curated tables (the judgement calls), each with what it is and why.
TABLES = json.loads((REPO_ROOT / "tools" / f"overlay-tables-{API_VERSION}.json").read_text("utf-8"))


def _entries(table):
    return TABLES[table]["entries"]


def specific_ref(code):
    return f"{SPECIFIC} > {code}"


def load_model():
    """botocore's model as data (the shape tables the builder walks)."""
    return Loader().load_service_model("ec2", "service-2", API_VERSION)


# ==========================================================================
# Wire names: the catalog's rule (botocore's EC2Serializer naming)
# ==========================================================================

def wire_name(struct, member):
    """The wire name of ``member`` of structure ``struct``: ``ec2_wire_name`` of the
    catalog (queryName, else the capitalised locationName, else the member name)."""
    return ec2_wire_name(member, SERVICE.shape_for(struct).members[member])


def unwrap_lists(shapes, shape_name, name):
    """Lists are always flattened as Name.N (the member's locationName is
    ignored), so a list of lists would be Name.N.N; returns the element
    shape and the wire name with the '.N' suffixes."""
    while shapes[shape_name]["type"] == "list":
        name += ".N"
        shape_name = shapes[shape_name]["member"]["shape"]
    return shape_name, name


def flatten(shapes, struct, prefix="", depth=0):
    """Every wire parameter reachable from structure `struct`:
    dicts {wire, member, target, required}.  Structures are listed
    too (e.g. 'BlockDeviceMapping.N') before their members."""
    shape = shapes[struct]
    required = set(shape.get("required", []))
    out = []
    for member, ref in shape["members"].items():
        target, wire = unwrap_lists(shapes, ref["shape"], wire_name(struct, member))
        wire = f"{prefix}.{wire}" if prefix else wire
        out.append({"wire": wire, "member": member, "target": target,
                    "required": member in required})
        if shapes[target]["type"] == "structure" and depth < 10:
            out.extend(flatten(shapes, target, wire, depth + 1))
    return out


def input_shape(model, action):
    op = model["operations"][action]
    return op["input"]["shape"] if "input" in op else None


def model_params(model, action):
    struct = input_shape(model, action)
    return flatten(model["shapes"], struct) if struct else []


# ==========================================================================
# Aligning the spec's parameter tables with the model
# ==========================================================================

# Spec parameter names that denote a model parameter under another wire name
# (the tables' file says why, with the evidence).
SPEC_NAME_ALIASES = {(e["action"], e["spec_name"]): (e["wire"], e["reason"])
                     for e in _entries("spec_name_aliases")}


def data_type_of(spec_type, catalog):
    """'IpPermission list' -> 'IpPermission' if that is a spec data type."""
    name = spec_type[:-len(" list")] if spec_type.endswith(" list") else spec_type
    return name if name in catalog["data_types"] else None


def match_member(field, candidates, shapes, struct):
    """Find the model member of `struct` a spec data-type member describes:
    by wire name, member name or locationName, case-insensitively (the
    spec's data types print request names, response names or both)."""
    wanted = {n.lower() for n in (field["name"], field.get("response_name")) if n}
    for member, ref in shapes[struct]["members"].items():
        names = {wire_name(struct, member), member, ref.get("locationName", "")}
        if wanted & {n.lower() for n in names}:
            return candidates.get(member)
    return None


def container(wire):
    """Wire name of the structure a parameter belongs to: '' for top-level,
    'BlockDeviceMapping.N' for 'BlockDeviceMapping.N.DeviceName'."""
    parts = wire.split(".")
    while parts and parts[-1] == "N":
        parts.pop()
    return ".".join(parts[:-1])


def align_action(catalog, model, action):
    """[{spec, model, spec_ref, prefix}] pairing every spec parameter (and
    every data-type member reached from one) with its model wire parameter;
    one side is None where the other has no counterpart.  `prefix` is the
    wire name of the enclosing structure ('' at top level)."""
    by_container = {}
    for flat in model_params(model, action):
        by_container.setdefault(container(flat["wire"]), []).append(flat)
    top = {f["wire"]: f for f in by_container.get("", [])}

    def find_top(field):
        return top.get(SPEC_NAME_ALIASES.get((action, field["name"]), (field["name"],))[0])

    out = []
    align_level(catalog, model["shapes"], by_container, catalog["actions"][action]["params"],
                "", f"{action} > Request Parameters", find_top, out)
    return out


def align_level(catalog, shapes, by_container, fields, prefix, spec_ref, find, out):
    """Pair `fields` (spec parameters or data-type members) with the model
    parameters in container `prefix`, then descend into structures."""
    candidates = {f["member"]: f for f in by_container.get(prefix, [])}
    matched = set()
    for field in fields:
        flat = find(field)
        out.append({"spec": field, "model": flat, "spec_ref": spec_ref, "prefix": prefix})
        if flat is None:
            continue
        matched.add(flat["member"])
        dtype = data_type_of(field["type"], catalog)
        struct = flat["target"]
        if dtype and shapes[struct]["type"] == "structure":
            members = {f["member"]: f for f in by_container.get(flat["wire"], [])}

            def find_nested(f, struct=struct, members=members):
                return match_member(f, members, shapes, struct)

            align_level(catalog, shapes, by_container, catalog["data_types"][dtype]["members"],
                        flat["wire"], f"Data Types > {dtype}", find_nested, out)
    out.extend({"spec": None, "model": f, "spec_ref": spec_ref, "prefix": prefix}
               for m, f in candidates.items() if m not in matched)


# ==========================================================================
# ID kinds
# ==========================================================================

# kind -> (prefix, malformed code, not-found code, other codes, note).
ID_KINDS = {kind: (e["prefix"], e["malformed"], e["not_found"], e["other_codes"], e["note"])
            for kind, e in _entries("id_kinds").items()}

# Spec sections where an ID format is shown, searched for evidence.
FORM_RE = r"in the form ([a-z]+(?:-[a-z]+)*-)x{4,}"


def code_description(catalog, code):
    for table in ("specific_client_errors", "common_client_errors", "server_errors"):
        for row in catalog[table]:
            if row["code"] == code:
                return row["description"]
    raise KeyError(f"{code} is not an error code in the spec")


def prefix_evidence(prefix, catalog, samples):
    """Where the spec shows an ID with this prefix: the error table's
    'in the form prefix-xxxx' text first, then the first sample."""
    for row in catalog["specific_client_errors"]:
        for form in re.findall(FORM_RE, row["description"]):
            if form == prefix:
                return {"spec_ref": f"{SPECIFIC} > {row['code']}", "text": f"{prefix}xxxxxxx"}
    pattern = re.compile(r"(?<![\w-])" + re.escape(prefix) + r"[0-9a-zA-Z]+(?:-[0-9a-zA-Z]+)*")
    for kind in ("requests", "responses"):
        for sample in samples[kind]:
            text = "\n".join([sample.get("text", sample.get("body", ""))]
                             + sample.get("trailing_fragments", []))
            m = pattern.search(text)
            if m:
                return {"spec_ref": f"{sample['action']} > Examples > {sample['example']}",
                        "text": m.group(0)}
    for ref, text in catalog_texts(catalog):
        m = pattern.search(text)
        if m:
            return {"spec_ref": ref, "text": m.group(0)}
    return None


# TagDescription's resourceType values -> ID kinds (CreateTags/DeleteTags ResourceId.N).
TAGGABLE = _entries("taggable")


def taggable_codes(catalog):
    """Malformed/not-found codes of every taggable kind: tagging an unknown
    resource can fail with that resource's own code as well as InvalidID."""
    members = {m["name"]: m for m in catalog["data_types"]["TagDescription"]["members"]}
    assert sorted(members["resourceType"]["valid_values"]) == sorted(TAGGABLE)
    codes = set()
    for kind in TAGGABLE.values():
        _prefix, malformed, not_found, others, _note = ID_KINDS[kind]
        codes.update(c for c in (malformed, not_found, *others) if c)
    return sorted(codes)


def build_id_kinds(catalog, samples):
    kinds = {}
    for kind, (prefix, malformed, not_found, others, note) in sorted(ID_KINDS.items()):
        if kind == "taggable_resource":
            others = taggable_codes(catalog)
        for code in filter(None, [malformed, not_found, *others]):
            code_description(catalog, code)  # must be a spec code
        codes = [c for c in (not_found, malformed, *others) if c]
        entry = {"prefix": prefix, "malformed": malformed, "not_found": not_found,
                 "other_codes": others,
                 "spec_ref": specific_ref(codes[0]) if codes else SPECIFIC}
        if prefix is not None:
            evidence = prefix_evidence(prefix, catalog, samples)
            assert evidence, f"prefix {prefix} of {kind} appears nowhere in the spec"
            entry["prefix_evidence"] = evidence
            if not codes:
                entry["spec_ref"] = evidence["spec_ref"]
        if note:
            entry["reason"] = note
        kinds[kind] = entry
    return kinds


# Wire parameter (with '.N' removed) -> ID kind, longest suffix first; (action, wire) ->
# kind where that is wrong (None: not a reference).
ID_PARAM_SUFFIXES = _entries("id_param_suffixes")
ID_PARAM_OVERRIDES = {(e["action"], e["wire"]): e["kind"] for e in _entries("id_param_overrides")}


def id_kind_of(action, wire):
    if (action, wire) in ID_PARAM_OVERRIDES:
        return ID_PARAM_OVERRIDES[(action, wire)]
    path = re.sub(r"\.N(?=\.|$)", "", wire).split(".")
    for n in range(len(path), 0, -1):
        kind = ID_PARAM_SUFFIXES.get(".".join(path[-n:]))
        if kind:
            return kind
    return None


def id_params(model, action):
    out = {}
    for flat in model_params(model, action):
        if model["shapes"][flat["target"]]["type"] == "structure":
            continue
        kind = id_kind_of(action, flat["wire"])
        if kind:
            out[flat["wire"]] = kind
    return out


# ==========================================================================
# Action-specific error codes
# ==========================================================================
# The spec's per-action "Errors" sections only point to the common list and
# the "Client Errors For Specific Actions" table names no actions, so the
# mapping is derived by the rules below, strongest first.  Downstream, a
# code that is missing here is reported as undocumented, so the rules lean
# towards inclusion.

# Codes allowed for every action, then rules (ii) to (iv) (the tables' file explains each).
UNSCOPED_CODES = _entries("unscoped_codes")
OPERATION_PHRASES = [(e["pattern"], e["actions"]) for e in _entries("operation_phrases")]
CODE_ACTIONS = {code: (e["actions"], e["reason"]) for code, e in _entries("code_actions").items()}
PARAM_CODE_RULES = [(e["pattern"], e["codes"], e["reason"]) for e in _entries("param_code_rules")]


def code_action_index(catalog):
    """code -> [(action, spec_ref, reason)] from rules (ii) and (iii)."""
    actions = set(catalog["action_list"])
    index, used = {}, set()
    for row in catalog["specific_client_errors"]:
        code, text = row["code"], row["description"]
        hits = index.setdefault(code, [])
        # (ii-a) the description names an action -- unless only as a remedy
        # ("Use the DescribeSubnets request to view ...").
        for name in re.findall(r"(?<!Use the )\b([A-Z][A-Za-z]+)\b", text):
            if name in actions:
                hits.append((name, specific_ref(code), f"the description names {name}"))
        # (ii-b) the description names the operation.
        for pattern, targets in OPERATION_PHRASES:
            m = re.search(pattern, text)
            if m:
                used.add(pattern)
                hits.extend((a, specific_ref(code), f"the description says '{m.group(0)}'")
                            for a in targets)
    unused = [p for p, _ in OPERATION_PHRASES if p not in used]
    assert not unused, f"phrases matching no error description: {unused}"
    for code, (targets, reason) in CODE_ACTIONS.items():
        assert code in index, f"{code} is not in the spec's specific-errors table"
        index[code].extend((a, specific_ref(code), reason) for a in targets)
    for code, hits in index.items():
        unknown = {a for a, _, _ in hits} - actions
        assert not unknown, (code, unknown)
    return index


def codes_in_section(catalog, action):
    """Rule (0): codes that the action's own section mentions."""
    codes = [r["code"] for r in catalog["specific_client_errors"]]
    entry = catalog["actions"][action]
    texts = [(f"{action} > Description", entry["description"])]
    texts += [(f"{action} > Request Parameters", p.get("description", "")) for p in entry["params"]]
    out = []
    for ref, text in texts:
        for code in codes:
            if re.search(r"(?<![\w.])" + re.escape(code) + r"(?![\w])", text):
                out.append((code, ref, "the action's own section names this code"))
    return out


def kind_codes(id_kinds, ids, mutating):
    """Rule (i): the codes of every ID kind the action takes, and the
    generic state codes for mutating actions on existing resources."""
    out = []
    for wire, kind in sorted(ids.items()):
        entry = id_kinds[kind]
        for code in filter(None, [entry["malformed"], entry["not_found"], *entry["other_codes"]]):
            out.append((code, specific_ref(code),
                        f"the action takes an ID of kind {kind} ({wire}); the spec's code for it"))
    if mutating and ids:
        for code in ("IncorrectState", "InvalidState"):
            out.append((code, specific_ref(code), "generic 'resource in an incorrect state' code; "
                        "the action changes an existing resource"))
        if "instance" in ids.values():
            out.append(("IncorrectInstanceState", specific_ref("IncorrectInstanceState"),
                        "the action changes or uses an existing instance"))
    return out


def param_codes(model, action, ids):
    """Rule (iv)."""
    out = []
    for flat in model_params(model, action):
        wire = flat["wire"]
        if ids.get(wire) == "placement_group" or "PlacementGroup" in action:
            continue  # there GroupName names a placement group, not a security group
        plain = re.sub(r"\.N(?=\.|$)", "", wire)
        for pattern, codes, reason in PARAM_CODE_RULES:
            if re.search(pattern, plain):
                out.extend((c, specific_ref(c), f"{reason} ({wire})") for c in codes)
    return out


def action_errors(catalog, model, action, ids, mutating, index, id_kinds):
    """[{code, spec_ref, reason}] -- first (strongest) rule wins per code."""
    found = codes_in_section(catalog, action)
    found += kind_codes(id_kinds, ids, mutating)
    found += [(code, ref, reason) for code, hits in sorted(index.items())
              for a, ref, reason in hits if a == action]
    found += param_codes(model, action, ids)
    found += [(code, specific_ref(code), "unscoped: see unscoped_errors")
              for code in UNSCOPED_CODES]
    errors = {}
    for code, ref, reason in found:
        errors.setdefault(code, {"code": code, "spec_ref": ref, "reason": reason})
    return [errors[c] for c in sorted(errors)]


# ==========================================================================
# Numeric limits the spec states plainly
# ==========================================================================
# Each quote must occur verbatim in the catalog text; its spec_ref is
# computed from where it is found.
LIMITS = _entries("limits")


def catalog_texts(catalog):
    """(spec_ref, text) for every piece of prose in the catalog."""
    for name, entry in catalog["actions"].items():
        yield f"{name} > Description", entry["description"]
        for p in entry["params"]:
            text = "\n".join([p.get("description", "")] + p.get("constraints", []))
            yield f"{name} > Request Parameters > {p['name']}", text
    for name, dtype in catalog["data_types"].items():
        for m in dtype["members"]:
            text = "\n".join([m.get("description", "")] + m.get("constraints", []))
            yield f"Data Types > {name}", text
    tables = (("common_client_errors", "Common Client Errors"),
              ("specific_client_errors", SPECIFIC), ("server_errors", "Server Errors"))
    for key, title in tables:
        for row in catalog[key]:
            yield f"{title} > {row['code']}", row["description"]


def build_limits(catalog):
    texts = list(catalog_texts(catalog))
    out = []
    for limit in LIMITS:
        refs = [ref for ref, text in texts if limit["quote"] in text]
        assert refs, f"quote for {limit['name']} not found in the spec"
        entry = dict(limit, spec_ref=refs[0])
        if len(refs) > 1:
            entry["also_in"] = refs[1:]
        out.append(entry)
    return out


# ==========================================================================
# Per-action overlay
# ==========================================================================

READ_ONLY_PREFIXES = ("Describe", "Get")
MUTATING_EXCEPTIONS = {action: (e["mutating"], e["reason"])
                       for action, e in _entries("mutating_exceptions").items()}
# (action, wire) -> why the spec's and the model's required flags differ; (action, spec or
# wire name) -> why one side lacks the parameter.
REQUIRED_REASONS = {(e["action"], e["wire"]): e["reason"] for e in _entries("required_reasons")}
MISSING_REASONS = {(e["action"], e["name"]): e["reason"] for e in _entries("missing_reasons")}


def mutating_entry(action):
    """(mutating, reason or None): Describe*/Get* read, everything else
    writes, except the listed actions."""
    if action in MUTATING_EXCEPTIONS:
        return MUTATING_EXCEPTIONS[action]
    return not action.startswith(READ_ONLY_PREFIXES), None


# One parameter per line: '&Name=value', '?Name=value', the URL line
# '...?Action=X', or -- AllocateAddress forgets the '&' -- a bare
# capitalised 'Name=value'.  Lower-case bare 'ture=...' is the tail of a
# wrapped value, and 'AWSAccessKeyId=' inside an unencoded manifest URL
# value is not a parameter either, so neither matches.
SAMPLE_PARAM_RE = re.compile(r"^(?:https://\S*?\?|[?&]|(?=[A-Z]))([A-Za-z][\w.-]*)=")


def sample_param_names(samples, action):
    """Parameter names the spec's sample requests send, '.1' -> '.N'."""
    names = set()
    for sample in samples["requests"]:
        if sample["action"] == action:
            for line in sample["text"].splitlines():
                m = SAMPLE_PARAM_RE.match(line.strip())
                if m:
                    names.add(re.sub(r"\.\d+(?=\.|$)", ".N", m.group(1)))
    return names


def sample_usage(names, *candidates):
    return sorted(c for c in candidates
                  if any(n == c or n.startswith(c + ".") for n in names))


def compare_pair(pair, action, model, samples_used, acc):
    """Record what one aligned (spec, model) pair tells the overlay."""
    spec, flat, ref = pair["spec"], pair["model"], pair["spec_ref"]
    if spec is None:
        acc["params_missing_from_spec"].append({
            "param": flat["wire"], "spec_ref": ref,
            "reason": MISSING_REASONS.get((action, flat["wire"]), "the model has this "
                                          "parameter; the spec does not document it")})
        return
    full = f"{pair['prefix']}.{spec['name']}" if pair["prefix"] else spec["name"]
    if flat is None:
        acc["params_missing_from_model"].append({
            "param": full, "spec_ref": ref,
            "reason": MISSING_REASONS.get(
                (action, full), "the spec documents this parameter; the model has no such member")})
        return
    if not pair["prefix"] and spec["name"] != flat["wire"]:
        acc["param_name_differences"].append({
            "spec_name": spec["name"], "wire": flat["wire"], "spec_ref": ref,
            "reason": SPEC_NAME_ALIASES[(action, spec["name"])][1],
            "sample_requests_use": sample_usage(samples_used, spec["name"], flat["wire"])})
    if spec.get("required", False) != flat["required"]:
        acc["required_disagreements"].append({
            "param": flat["wire"], "spec_required": spec.get("required", False),
            "model_required": flat["required"], "spec_ref": ref,
            "reason": REQUIRED_REASONS.get((action, flat["wire"]), _required_reason(spec, flat))})
    compare_values(spec, flat, ref, model, acc)


def compare_values(spec, flat, ref, model, acc):
    """Valid Values the model lacks go to "enums"; where the model has an
    enum that differs, both lists go to "enum_differences" so a checker can
    decide which to trust (or accept the union)."""
    target = model["shapes"][flat["target"]]
    values = spec.get("valid_values")
    if values and target["type"] == "string" and "enum" not in target:
        acc["enums"][flat["wire"]] = {"values": values, "spec_ref": ref}
    elif values and set(values) != set(target.get("enum", values)):
        acc["enum_differences"][flat["wire"]] = {
            "spec_values": values, "model_values": target["enum"], "spec_ref": ref,
            "reason": "the spec's Valid Values and the model's enum differ"}


def _required_reason(spec, flat):
    if spec.get("required"):
        return "the spec marks it Required: Yes; the model treats it as optional"
    return "the model marks it required; the spec says Required: No"


def unknown_sample_params(model, action, names):
    """Sample-request parameters the model cannot send (lower-case names,
    parameters the model spells differently, malformed lines)."""
    known = {f["wire"] for f in model_params(model, action)}
    generic = {"Action", "Version", "AUTHPARAMS"}
    return sorted(n for n in names if n not in known and n not in generic)


def build_action(catalog, model, samples, action, index, id_kinds):
    entry = catalog["actions"][action]
    mutating, mutating_reason = mutating_entry(action)
    ids = id_params(model, action)
    acc = {"params_missing_from_model": [], "params_missing_from_spec": [],
           "param_name_differences": [], "required_disagreements": [], "enums": {},
           "enum_differences": {}}
    used = sample_param_names(samples, action)
    for pair in align_action(catalog, model, action):
        compare_pair(pair, action, model, used, acc)
    out = {
        "spec_ref": action,
        "mutating": mutating,
        "dry_run": any(p["name"] == "DryRun" for p in entry["params"]),
        "errors": action_errors(catalog, model, action, ids, mutating, index, id_kinds),
        "id_params": ids,
    }
    if mutating_reason:
        out["mutating_reason"] = mutating_reason
    out.update({k: v for k, v in acc.items() if v})
    unknown = unknown_sample_params(model, action, used)
    if unknown:
        out["sample_params_not_in_model"] = {
            "params": unknown, "spec_ref": f"{action} > Examples",
            "reason": "the spec's sample requests send these names; the model never does"}
    if entry.get("anomalies"):
        why = "printed in the spec's parameter table without a name; ignored"
        out["spec_anomalies"] = [dict(a, spec_ref=f"{action} > Request Parameters", reason=why)
                                 for a in entry["anomalies"]]
    return out


def error_list(catalog, key, title):
    return {"codes": [r["code"] for r in catalog[key]], "spec_ref": title}


def build_overlay(catalog, model, samples):
    assert sorted(model["operations"]) == sorted(catalog["action_list"])
    index = code_action_index(catalog)
    id_kinds = build_id_kinds(catalog, samples)
    for code in UNSCOPED_CODES:
        code_description(catalog, code)
    return {
        "api_version": API_VERSION,
        "spec": catalog["source"],
        "common_errors": error_list(catalog, "common_client_errors", "Common Client Errors"),
        "server_errors": error_list(catalog, "server_errors", "Server Errors"),
        "specific_errors": error_list(catalog, "specific_client_errors", SPECIFIC),
        "unscoped_errors": {
            "codes": sorted(UNSCOPED_CODES), "spec_ref": SPECIFIC, "reasons": UNSCOPED_CODES,
            "reason": "listed as action-specific, but no description ties them to an action; "
                      "every action's errors include them"},
        "id_kinds": id_kinds,
        "limits": build_limits(catalog),
        "actions": {a: build_action(catalog, model, samples, a, index, id_kinds)
                    for a in sorted(catalog["action_list"])},
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--catalog", type=Path, default=CATALOG)
    parser.add_argument("--samples", type=Path, default=SAMPLES)
    parser.add_argument("--out", type=Path, default=OVERLAY_OUT)
    args = parser.parse_args(argv)
    catalog = json.loads(args.catalog.read_text(encoding="utf-8"))
    samples = json.loads(args.samples.read_text(encoding="utf-8"))
    overlay = build_overlay(catalog, load_model(), samples)
    text = json.dumps(overlay, sort_keys=True, indent=1, ensure_ascii=False) + "\n"
    args.out.write_text(text, encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
