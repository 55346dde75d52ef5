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

The hand-written tables below are the judgement calls; everything else is
computed.  Each table is checked against the catalog (codes must exist in
the spec, quotes must occur verbatim, prefixes must appear in the spec) so
a typo in a table fails the build instead of producing a silent overlay.
"""

import argparse
import json
import re
import sys
from pathlib import Path

from botocore.loaders import Loader

REPO_ROOT = Path(__file__).resolve().parent.parent
CATALOG = REPO_ROOT / "conformance" / "catalog" / "data" / "spec-2014-10-01.json"
SAMPLES = REPO_ROOT / "tests" / "data" / "spec_samples" / "2014-10-01.json"
OVERLAY_OUT = REPO_ROOT / "conformance" / "catalog" / "data" / "overlay-2014-10-01.json"
API_VERSION = "2014-10-01"

SPECIFIC = "Client Errors For Specific Actions"


def specific_ref(code):
    return f"{SPECIFIC} > {code}"


def load_model():
    return Loader().load_service_model("ec2", "service-2", API_VERSION)


# ==========================================================================
# Wire names (botocore's EC2 query serializer)
# ==========================================================================

def wire_name(member, ref):
    """queryName, else locationName with the first letter upper-cased,
    else the member name -- botocore's EC2Serializer._get_serialized_name."""
    if "queryName" in ref:
        return ref["queryName"]
    if "locationName" in ref:
        return ref["locationName"][0].upper() + ref["locationName"][1:]
    return member


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
        target, wire = unwrap_lists(shapes, ref["shape"], wire_name(member, ref))
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

# Spec parameter names that denote a model parameter under another wire
# name.  Keyed (action, spec name) -> (model wire name, why).  Evidence for
# each: the spec's own sample requests send the model's spelling (checked
# in sample_usage() and reported in the overlay).
_TYPO_L = "typesetting error in the spec: lower-case 'l' for 'I'"
_PLURAL = ("the spec prints the SDK member name (plural); the query wire name is the "
           "model's locationName 'InstanceId'")
_SG_IDS = ("the spec prints the SDK member name and omits '.N'; on the wire the list is "
           "flattened as SecurityGroupId.N")
SPEC_NAME_ALIASES = {
    ("DeleteVolume", "Volumeld"): ("VolumeId", _TYPO_L),
    ("DescribeVolumeAttribute", "Volumeld"): ("VolumeId", _TYPO_L),
    ("DescribeVolumeStatus", "Volumeld.N"): ("VolumeId.N", _TYPO_L),
    ("GetPasswordData", "InstancedId"): ("InstanceId", "misspelling in the spec's parameter table"),
    **{(a, "InstanceIds.N"): ("InstanceId.N", _PLURAL)
       for a in ("DescribeClassicLinkInstances", "DescribeInstanceStatus", "RebootInstances",
                 "StartInstances", "StopInstances", "TerminateInstances")},
    **{(a, "SecurityGroupIds"): ("SecurityGroupId.N", _SG_IDS)
       for a in ("AttachClassicLinkVpc", "CreateNetworkInterface",
                 "ModifyNetworkInterfaceAttribute", "RunInstances")},
    ("CreateNetworkInterface", "PrivateIpAddresses"): (
        "PrivateIpAddresses.N", "the spec omits '.N' although its type is a list"),
    ("ModifyReservedInstances", "ReservedInstancesConfigurationSetItem.N"): (
        "ReservedInstancesConfigurationSetItemType.N",
        "the model's locationName is 'ReservedInstancesConfigurationSetItemType'"),
}


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
        names = {wire_name(member, ref), member, ref.get("locationName", "")}
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

# kind -> (prefix, malformed code, not-found code, other codes any request
# naming such an ID may get, note).  Codes are spelled exactly as the spec
# spells them -- note the inconsistent 'Id'/'ID' and the kinds whose
# malformed and not-found codes use different stems (InvalidGroupId.Malformed
# vs InvalidGroup.NotFound).  None where the spec lists no code: a
# conformance check must then accept any documented code.
def _kind(prefix, malformed, not_found, others=(), note=None):
    return prefix, malformed, not_found, list(others), note


ID_KINDS = {
    "vpc": _kind("vpc-", None, "InvalidVpcID.NotFound"),
    "subnet": _kind("subnet-", None, "InvalidSubnetID.NotFound"),
    "security_group": _kind(
        "sg-", "InvalidGroupId.Malformed", "InvalidGroup.NotFound",
        ["InvalidSecurityGroupID.NotFound"],
        "the spec documents both InvalidGroup.NotFound and InvalidSecurityGroupID.NotFound"),
    "instance": _kind("i-", "InvalidInstanceID.Malformed", "InvalidInstanceID.NotFound",
                      ["InvalidInstanceID"]),
    "volume": _kind("vol-", "InvalidVolumeID.Malformed", "InvalidVolume.NotFound"),
    "snapshot": _kind("snap-", "InvalidSnapshotID.Malformed", "InvalidSnapshot.NotFound"),
    "image": _kind("ami-", "InvalidAMIID.Malformed", "InvalidAMIID.NotFound",
                   ["InvalidAMIID.Unavailable"]),
    "kernel": _kind("aki-", None, "InvalidAMIID.NotFound", (),
                    "InvalidAMIID.NotFound: 'This error may also occur if you specified an "
                    "incorrect kernel ID'"),
    "ramdisk": _kind("ari-", None, None, (), "the spec names no code for a bad RAM disk ID"),
    "network_interface": _kind("eni-", "InvalidNetworkInterfaceId.Malformed",
                               "InvalidNetworkInterfaceID.NotFound"),
    "network_interface_attachment": _kind(
        "eni-attach-", "InvalidNetworkInterfaceAttachmentID.Malformed",
        "InvalidAttachmentID.NotFound"),
    "allocation": _kind(
        "eipalloc-", None, "InvalidAllocationID.NotFound", ["InvalidAddressID.NotFound"],
        "InvalidAddressID.NotFound is the spec's code for an unknown allocation ID on release"),
    "address_association": _kind("eipassoc-", None, "InvalidAssociationID.NotFound"),
    "route_table_association": _kind("rtbassoc-", None, "InvalidAssociationID.NotFound"),
    "network_acl_association": _kind(
        "aclassoc-", None, "InvalidAssociationID.NotFound", (),
        "ReplaceNetworkAclAssociation's sample request/response print 'aassoc-' IDs while "
        "its description and DescribeNetworkAcls print 'aclassoc-'"),
    "route_table": _kind("rtb-", "InvalidRouteTableId.Malformed", "InvalidRouteTableID.NotFound"),
    "internet_gateway": _kind("igw-", None, "InvalidInternetGatewayID.NotFound"),
    "network_acl": _kind("acl-", None, "InvalidNetworkAclID.NotFound"),
    "dhcp_options": _kind(
        "dopt-", "InvalidDhcpOptionsId.Malformed", "InvalidDhcpOptionsID.NotFound",
        ["InvalidDhcpOptionID.NotFound"],
        "the spec lists both InvalidDhcpOptionsID.NotFound and InvalidDhcpOptionID.NotFound; "
        "AssociateDhcpOptions also accepts the literal 'default'"),
    "vpc_peering_connection": _kind("pcx-", "InvalidVpcPeeringConnectionId.Malformed",
                                    "InvalidVpcPeeringConnectionID.NotFound"),
    "vpn_gateway": _kind("vgw-", None, "InvalidVpnGatewayID.NotFound"),
    "customer_gateway": _kind("cgw-", "InvalidCustomerGatewayId.Malformed",
                              "InvalidCustomerGatewayID.NotFound"),
    "vpn_connection": _kind("vpn-", None, "InvalidVpnConnectionID.NotFound",
                            ["InvalidVpnConnectionID"]),
    "gateway": _kind(None, None, "InvalidGatewayID.NotFound", (),
                     "CreateRoute/ReplaceRoute GatewayId takes an Internet gateway (igw-) or a "
                     "virtual private gateway (vgw-) ID"),
    "reserved_instances": _kind(
        None, None, "InvalidReservedInstancesId", (),
        "Reserved Instances IDs are UUIDs (e5a2ff3b-7d14-494f-90af-0b5d0EXAMPLE)"),
    "reserved_instances_offering": _kind(None, None, "InvalidReservedInstancesOfferingId", (),
                                         "offering IDs are UUIDs"),
    "reserved_instances_listing": _kind(
        None, None, None, ["InvalidInput"],
        "listing IDs are UUIDs; InvalidInput's description gives 'an incorrect Reserved "
        "Instance listing ID' as its example"),
    "reserved_instances_modification": _kind("rimod-", None, None, (), "the spec names no code"),
    "spot_instance_request": _kind("sir-", "InvalidSpotInstanceRequestID.Malformed",
                                   "InvalidSpotInstanceRequestID.NotFound"),
    "conversion_task": _kind(
        "import-", "InvalidConversionTaskId", "InvalidConversionTaskId", (),
        "one code for any invalid conversion task ID; the samples show only 'import-i-' IDs "
        "(even ImportVolume's), so only 'import-' is asserted"),
    "export_task": _kind("export-i-", None, "InvalidExportTaskID.NotFound"),
    "bundle": _kind("bun-", None, "InvalidBundleID.NotFound"),
    "reservation": _kind("r-", "InvalidReservationID.Malformed", "InvalidReservationID.NotFound",
                         (), "no request parameter takes a reservation ID"),
    "placement_group": _kind(None, None, "InvalidPlacementGroup.Unknown", (), "identified by name"),
    "key_pair": _kind(None, None, "InvalidKeyPair.NotFound", (), "identified by name"),
    "taggable_resource": _kind(
        None, "InvalidID", None, (),
        "CreateTags/DeleteTags ResourceId.N takes the ID of any resource type TagDescription "
        "lists; other_codes are those types' codes"),
}

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


# TagDescription's resourceType values -> ID kinds: what CreateTags and
# DeleteTags accept in ResourceId.N.
TAGGABLE = {
    "customer-gateway": "customer_gateway", "dhcp-options": "dhcp_options", "image": "image",
    "instance": "instance", "internet-gateway": "internet_gateway", "network-acl": "network_acl",
    "network-interface": "network_interface", "reserved-instances": "reserved_instances",
    "route-table": "route_table", "snapshot": "snapshot",
    "spot-instances-request": "spot_instance_request", "subnet": "subnet",
    "security-group": "security_group", "volume": "volume", "vpc": "vpc",
    "vpn-connection": "vpn_connection", "vpn-gateway": "vpn_gateway",
}


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


# Wire parameter (with '.N' removed) -> ID kind, matched on the last
# components of the name, longest match first.  Names of resources being
# *created* (CreateKeyPair KeyName, CreatePlacementGroup GroupName) are not
# references and are excluded below.
ID_PARAM_SUFFIXES = {
    "VpcId": "vpc", "PeerVpcId": "vpc", "SubnetId": "subnet",
    "GroupId": "security_group", "SecurityGroupId": "security_group",
    "InstanceId": "instance", "VolumeId": "volume",
    "SnapshotId": "snapshot", "SourceSnapshotId": "snapshot",
    "ImageId": "image", "SourceImageId": "image",
    "KernelId": "kernel", "Kernel.Value": "kernel",
    "RamdiskId": "ramdisk", "Ramdisk.Value": "ramdisk",
    "NetworkInterfaceId": "network_interface", "AttachmentId": "network_interface_attachment",
    "AllocationId": "allocation", "RouteTableId": "route_table",
    "InternetGatewayId": "internet_gateway", "NetworkAclId": "network_acl",
    "DhcpOptionsId": "dhcp_options", "VpcPeeringConnectionId": "vpc_peering_connection",
    "VpnGatewayId": "vpn_gateway", "CustomerGatewayId": "customer_gateway",
    "VpnConnectionId": "vpn_connection", "GatewayId": "gateway",
    "ReservedInstancesId": "reserved_instances",
    "ReservedInstancesOfferingId": "reserved_instances_offering",
    "ReservedInstancesListingId": "reserved_instances_listing",
    "ReservedInstancesModificationId": "reserved_instances_modification",
    "SpotInstanceRequestId": "spot_instance_request", "ConversionTaskId": "conversion_task",
    "ExportTaskId": "export_task", "BundleId": "bundle", "KeyName": "key_pair",
    "Placement.GroupName": "placement_group", "ResourceId": "taggable_resource",
}

# (action, wire) -> kind, or None to drop a suffix match.
ID_PARAM_OVERRIDES = {
    ("DisassociateAddress", "AssociationId"): "address_association",
    ("DisassociateRouteTable", "AssociationId"): "route_table_association",
    ("ReplaceRouteTableAssociation", "AssociationId"): "route_table_association",
    ("ReplaceNetworkAclAssociation", "AssociationId"): "network_acl_association",
    # Route propagation names the virtual private gateway as GatewayId.
    ("EnableVgwRoutePropagation", "GatewayId"): "vpn_gateway",
    ("DisableVgwRoutePropagation", "GatewayId"): "vpn_gateway",
    ("DeletePlacementGroup", "GroupName"): "placement_group",
    ("DescribePlacementGroups", "GroupName.N"): "placement_group",
    # The name is being created, not referenced.
    ("CreateKeyPair", "KeyName"): None,
    ("ImportKeyPair", "KeyName"): None,
}


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

# Listed among the specific errors, but their descriptions tie them to no
# action (authentication, clock skew, catch-alls): allowed for every action.
UNSCOPED_CODES = {
    "SignatureDoesNotMatch": "request signing applies to every action",
    "InvalidSecurity.RequestHasExpired": "timestamp checking applies to every action",
    "InvalidRequest": "'The request is invalid' -- no action named",
    "InvalidInput": "'An input parameter in the request is invalid' -- its example is an example",
    "Unsupported": "'The specified request is unsupported' -- its example is an example",
    "UnsupportedOperation": "'The specified request includes an unsupported operation'",
    "OperationNotPermitted": "'This error can occur for a number of reasons'",
    "ResourceLimitExceeded": "'You have exceeded an Amazon EC2 resource limit' -- example only",
}

# Rule (ii): phrases in a code's description that name an operation.
# Every phrase must match some description (checked in code_action_index).
OPERATION_PHRASES = [
    (r"attach a volume|attached to a single instance", ["AttachVolume"]),
    (r"detach a volume", ["DetachVolume"]),
    (r"creat(e|ing) a snapshot|snapshots you can create", ["CreateSnapshot"]),
    (r"snapshot copies", ["CopySnapshot"]),
    (r"deleting a virtual private gateway", ["DeleteVpnGateway"]),
    (r"delete the 'default' security group|delete the default EC2-Classic security group"
     r"|security group can't be deleted", ["DeleteSecurityGroup"]),
    (r"create a (new )?security group|security groups that you can create",
     ["CreateSecurityGroup"]),
    (r"detach an Internet gateway", ["DetachInternetGateway"]),
    (r"attach an Internet gateway", ["AttachInternetGateway"]),
    (r"associat(e|ing) an (Elastic )?IP address", ["AssociateAddress"]),
    (r"release an address|you are trying to release", ["ReleaseAddress"]),
    (r"terminate an instance", ["TerminateInstances"]),
    (r"detach the primary network interface", ["DetachNetworkInterface"]),
    (r"stop an instance", ["StopInstances"]),
    (r"enable monitoring", ["MonitorInstances"]),
    (r"launch(ing)? (an |your |more )?instances?|trying to launch", ["RunInstances"]),
    (r"creating a volume", ["CreateVolume"]),
    (r"submitted a bid for Spot Instances", ["RequestSpotInstances"]),
    (r"Describe Spot Instance requests", ["DescribeSpotInstanceRequests"]),
    (r"accept a VPC peering request", ["AcceptVpcPeeringConnection"]),
    (r"create a route in a route table", ["CreateRoute"]),
    (r"modify the network interface attribute, and not the instance attribute",
     ["ModifyInstanceAttribute"]),
    (r"can only be modified if the instance is in a 'stopped' state|set the InstanceType",
     ["ModifyInstanceAttribute"]),
    (r"enable a VPC for ClassicLink", ["EnableVpcClassicLink"]),
    (r"instance you are trying to link", ["AttachClassicLinkVpc"]),
    (r"deleting a route in a VPN connection", ["DeleteVpnConnectionRoute"]),
    (r"bundling task|support bundling", ["BundleInstance"]),
    (r"cannot be exported", ["CreateInstanceExportTask"]),
    (r"instance or volume import", ["ImportInstance", "ImportVolume"]),
    (r"resource you are trying to tag|modify a tag|tags that you can assign", ["CreateTags"]),
    (r"purchase the required number of Reserved Instances",
     ["PurchaseReservedInstancesOffering"]),
    (r"creating or importing a key pair", ["CreateKeyPair", "ImportKeyPair"]),
    (r"public key you are attempting to import", ["ImportKeyPair"]),
    (r"delete a placement group", ["DeletePlacementGroup"]),
    (r"item added to, or removed from, an image attribute", ["ModifyImageAttribute"]),
]

# Rule (iii): the rest, by hand.  code -> ([actions], reason).
_VPC_DELETES = ["DeleteVpc", "DeleteSubnet", "DeleteSecurityGroup", "DeleteInternetGateway",
                "DetachInternetGateway", "DeleteRouteTable", "DeleteNetworkAcl",
                "DeleteDhcpOptions", "DeleteVpnGateway", "DetachVpnGateway",
                "DeleteCustomerGateway", "DeleteNetworkInterface", "DeleteVpcPeeringConnection",
                "DeleteVpnConnection"]
_SG_RULES = ["AuthorizeSecurityGroupIngress", "AuthorizeSecurityGroupEgress",
             "RevokeSecurityGroupIngress", "RevokeSecurityGroupEgress"]
_LAUNCH = ["RunInstances", "RequestSpotInstances"]
_ENI_IPS = ["CreateNetworkInterface", "AssignPrivateIpAddresses"] + _LAUNCH
_SG_ASSIGN = ["ModifyInstanceAttribute"] + _LAUNCH
_AMI_NAMING = ["CreateImage", "RegisterImage", "CopyImage"]
_PEERING_STATE = ["AcceptVpcPeeringConnection", "RejectVpcPeeringConnection",
                  "DeleteVpcPeeringConnection"]
_RESERVATION = "reservation IDs occur only as DescribeInstances' reservation-id filter"
CODE_ACTIONS = {
    # Limits reached by creating (or accepting, attaching, adding) something.
    "ActiveVpcPeeringConnectionPerVpcLimitExceeded": (
        ["AcceptVpcPeeringConnection", "CreateVpcPeeringConnection"],
        "active peering connections per VPC: reached when a connection is created/accepted"),
    "OutstandingVpcPeeringConnectionLimitExceeded": (
        ["CreateVpcPeeringConnection"], "peering connection requests you can create"),
    "AddressLimitExceeded": (["AllocateAddress"], "Elastic IP addresses you can allocate"),
    "AttachmentLimitExceeded": (["AttachVolume"], "volumes attached to a single instance"),
    "CustomerGatewayLimitExceeded": (["CreateCustomerGateway"], "customer gateways"),
    "InternetGatewayLimitExceeded": (["CreateInternetGateway"], "Internet gateways"),
    "NetworkAclLimitExceeded": (["CreateNetworkAcl"], "network ACLs per VPC"),
    "NetworkAclEntryLimitExceeded": (["CreateNetworkAclEntry"], "rules per network ACL"),
    "RouteTableLimitExceeded": (["CreateRouteTable"], "route tables per VPC"),
    "RouteLimitExceeded": (["CreateRoute", "CreateVpnConnectionRoute"], "routes per table"),
    "SubnetLimitExceeded": (["CreateSubnet"], "subnets per VPC"),
    "VpcLimitExceeded": (["CreateVpc"], "VPCs per region"),
    "VpnConnectionLimitExceeded": (["CreateVpnConnection"], "VPN connections"),
    "VpnGatewayLimitExceeded": (["CreateVpnGateway"], "virtual private gateways"),
    "VpnGatewayAttachmentLimitExceeded": (["AttachVpnGateway"], "VPCs per gateway"),
    "RulesPerSecurityGroupLimitExceeded": (_SG_RULES[:2], "rules per security group"),
    "SecurityGroupLimitExceeded": (["CreateSecurityGroup"] + _SG_ASSIGN,
                                   "groups you can create or assign to an instance"),
    "SecurityGroupsPerInstanceLimitExceeded": (_SG_ASSIGN, "groups assigned to an instance"),
    "SecurityGroupsPerInterfaceLimitExceeded": (
        ["CreateNetworkInterface", "ModifyNetworkInterfaceAttribute"] + _LAUNCH,
        "groups associated with a network interface"),
    "InstanceLimitExceeded": (["RunInstances", "StartInstances"], "instances running at once"),
    "MaxSpotInstanceCountExceeded": (["RequestSpotInstances"], "Spot Instances you can launch"),
    "RequestResourceCountExceeded": (["RequestSpotInstances", "DescribeSpotInstanceRequests"],
                                     "Spot requests and Spot describe calls"),
    "ResourceCountExceeded": (_LAUNCH, "resources in a single request (its example: launching)"),
    "PrivateIpAddressLimitExceeded": (_ENI_IPS, "private IP addresses per network interface"),
    "InvalidInterface.IpAddressLimitExceeded": (_ENI_IPS, "private IP addresses per interface"),
    "InsufficientFreeAddressesInSubnet": (_ENI_IPS, "private IP addresses taken from a subnet"),
    "VolumeLimitExceeded": (["CreateVolume", "ImportVolume", "ImportInstance"] + _LAUNCH,
                            "EBS volume storage"),
    "MaxIOPSLimitExceeded": (["CreateVolume"] + _LAUNCH, "IOPS usage"),
    "SnapshotLimitExceeded": (["CreateSnapshot", "CopySnapshot"], "snapshots you can create"),
    "PendingSnapshotLimitExceeded": (["CreateSnapshot", "CopySnapshot"], "pending snapshots"),
    "ConcurrentSnapshotLimitExceeded": (["CreateSnapshot"], "concurrent snapshots of a volume"),
    "TagLimitExceeded": (["CreateTags"], "tags per resource"),
    "ReservedInstancesLimitExceeded": (["PurchaseReservedInstancesOffering"], "purchase quota"),
    "InsufficientReservedInstancesCapacity": (
        ["PurchaseReservedInstancesOffering", "ModifyReservedInstances"], "RI capacity"),
    # Duplicates and conflicts at creation.
    "VpcPeeringConnectionAlreadyExists": (["CreateVpcPeeringConnection"], "duplicate peering"),
    "NetworkAclEntryAlreadyExists": (["CreateNetworkAclEntry"], "rule number already used"),
    "RouteAlreadyExists": (["CreateRoute", "CreateVpnConnectionRoute"], "duplicate route"),
    "InvalidSubnet.Conflict": (["CreateSubnet"], "CIDR block overlaps another subnet"),
    "InvalidVpcRange": (["CreateVpc", "CreateSubnet"], "netmask must be /16 to /28"),
    "InvalidOption.Conflict": (["CreateVpnConnection"], "a connection between the gateways exists"),
    "InvalidCustomerGateway.DuplicateIpAddress": (["CreateCustomerGateway"], "IP conflict"),
    "InvalidGroup.Duplicate": (["CreateSecurityGroup"], "group name already used"),
    "InvalidGroup.Reserved": (["CreateSecurityGroup", "DeleteSecurityGroup"], "'default'"),
    "InvalidPlacementGroup.Duplicate": (["CreatePlacementGroup"], "name already used"),
    "InvalidPermission.Duplicate": (_SG_RULES[:2], "adding a rule that already exists"),
    "InvalidAMIName.Duplicate": (_AMI_NAMING, "actions that name an AMI"),
    "InvalidAMIName.Malformed": (_AMI_NAMING, "actions that name an AMI"),
    "InvalidVolumeID.Duplicate": (["CreateVolume", "ImportVolume", "AttachVolume"],
                                  "'The Amazon EBS volume already exists'"),
    # Things that must (not) exist, be attached, be in use.
    "InvalidNetworkAclEntry.NotFound": (["DeleteNetworkAclEntry", "ReplaceNetworkAclEntry"],
                                        "the entry is named by rule number"),
    "InvalidRoute.Malformed": (["CreateRoute", "ReplaceRoute", "DeleteRoute",
                                "CreateVpnConnectionRoute", "DeleteVpnConnectionRoute"],
                               "actions that take a destination CIDR block"),
    "InvalidRoute.NotFound": (["DeleteRoute", "ReplaceRoute", "DeleteVpnConnectionRoute"],
                              "actions that name an existing route"),
    "InvalidVpcState": (["AttachVpnGateway"], "VPC already has a virtual private gateway"),
    "InvalidVpnGatewayAttachment.NotFound": (["DetachVpnGateway"], "no such attachment"),
    "DependencyViolation": (_VPC_DELETES, "'prevent you from deleting or detaching them': "
                            "deletes and detaches of VPC resources"),
    "Gateway.NotAttached": (["DetachInternetGateway", "AssociateAddress", "CreateRoute",
                             "ReplaceRoute"], "an Internet gateway must be attached to the VPC"),
    "Resource.AlreadyAssociated": (["AssociateAddress", "AttachInternetGateway",
                                    "AssociateRouteTable", "AttachVpnGateway"],
                                   "resource already associated or attached"),
    "LegacySecurityGroup": (["AttachInternetGateway"], "2009-07-15-default group blocks it"),
    "VpcCidrConflict": (["EnableVpcClassicLink"], "enabling ClassicLink on a VPC"),
    "InstanceAlreadyLinked": (["AttachClassicLinkVpc"], "linking an EC2-Classic instance"),
    "InvalidInstanceID.NotLinkable": (["AttachClassicLinkVpc"], "linking an instance"),
    "InvalidStateTransition": (_PEERING_STATE, "VPC peering connection state changes"),
    "CannotDelete": (["DeleteSecurityGroup"], "deleting the VPC's default security group"),
    "InvalidGroup.InUse": (["DeleteSecurityGroup"], "group referenced by another group"),
    "InvalidPermission.NotFound": (_SG_RULES[2:], "revoking a rule that does not exist"),
    "InvalidPermission.Malformed": (_SG_RULES, "actions that take security group rules"),
    "VPCIdNotSpecified": (["CreateSecurityGroup", "DeleteSecurityGroup"] + _SG_RULES + _LAUNCH,
                          "'Specify a VPC ID or subnet ID, or in the case of security groups, "
                          "specify the ID'"),
    "VPCResourceNotSpecified": (_LAUNCH, "'specify a subnet ID or network interface ID'"),
    "InvalidIPAddress.InUse": (["ReleaseAddress"] + _ENI_IPS, "an address already in use"),
    "EncryptedVolumesNotSupported": (["AttachVolume"] + _LAUNCH, "attaching encrypted volumes"),
    "InvalidDevice.InUse": (["AttachVolume"], "device name already in use on the instance"),
    "VolumeInUse": (["AttachVolume", "DeleteVolume", "DetachVolume"], "the volume is attached"),
    "InvalidVolumeID.ZoneMismatch": (["AttachVolume"], "volume and instance zones differ"),
    "InvalidVolume.ZoneMismatch": (["AttachVolume"], "volume and instance zones differ"),
    "VolumeTypeNotAvailableInZone": (["CreateVolume"] + _LAUNCH, "io1 volumes in a zone"),
    "NonEBSInstance": (["AttachVolume", "DetachVolume", "CreateImage"], "instance lacks EBS"),
    "InvalidSnapshot.InUse": (["DeleteSnapshot"], "snapshot used by an AMI"),
    "InvalidManifest": (["RegisterImage", "ImportInstance", "ImportVolume"],
                        "actions that take a manifest"),
    "InvalidUserID.Malformed": (["ModifyImageAttribute", "ModifySnapshotAttribute"],
                                "user IDs in launch/create-volume permissions"),
    "InvalidKey.Format": (["ImportKeyPair"], "public key material"),
    "InvalidKeyPair.Format": (["ImportKeyPair"], "public key material"),
    "InvalidSpotDatafeed.NotFound": (["DescribeSpotDatafeedSubscription",
                                      "DeleteSpotDatafeedSubscription"], "no Spot data feed"),
    "ConcurrentTagAccess": (["CreateTags", "DeleteTags"], "commands that modify tags"),
    "IncorrectInstanceState": (["AssociateAddress"], "associating an Elastic IP address "
                               "(see also the instance-state rule)"),
    "InvalidReservationID.Malformed": (["DescribeInstances"], _RESERVATION),
    "InvalidReservationID.NotFound": (["DescribeInstances"], _RESERVATION),
}

# Rule (iv): codes tied to a kind of parameter rather than to an action.
# (regex on the wire name with '.N' removed, codes, reason)
PARAM_CODE_RULES = [
    (r"(^|\.)Filter$", ["InvalidFilter", "FilterLimitExceeded"], "the action takes filters"),
    (r"(^|\.)PublicIp$", ["InvalidAddress.NotFound"], "the action takes an Elastic IP address"),
    (r"(^|\.)(AvailabilityZone|ZoneName)$", ["InvalidZone.NotFound"],
     "the action takes an Availability Zone"),
    (r"(^|\.)BlockDeviceMapping(\.|$)", ["InvalidBlockDeviceMapping"],
     "the action takes a block device mapping"),
    (r"(^|\.)VolumeType$", ["UnknownVolumeType"], "the action takes a volume type"),
    (r"(^|\.)Iops$", ["MaxIOPSLimitExceeded"], "the action takes an IOPS value"),
    (r"(^|\.)(GroupName|SecurityGroup|SourceSecurityGroupName)$", ["InvalidGroup.NotFound"],
     "the action takes a security group name (InvalidGroup.NotFound covers names and IDs)"),
    (r"(^|\.)(Owner|ExecutableBy|RestorableBy|UserId)$", ["InvalidUserID.Malformed"],
     "the action takes an AWS account ID"),
]


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
def _limit(name, quote, **values):
    return {"name": name, "quote": quote, **values}


LIMITS = [
    _limit("vpc_netmask",
           "The smallest VPC you can create uses a /28 netmask (16 IP addresses), and the "
           "largest uses a /16 netmask (65,536 IP addresses).", min_prefix=16, max_prefix=28),
    _limit("subnet_netmask",
           "The smallest subnet (and VPC) you can create uses a /28 netmask (16 IP addresses), "
           "and the largest uses a /16 netmask (65,536 IP addresses).",
           min_prefix=16, max_prefix=28),
    _limit("rules_per_vpc_security_group",
           "EC2-VPC: You can have up to 50 rules per group (covering both ingress and egress "
           "rules).", value=50, counts="ingress+egress"),
    _limit("rules_per_classic_security_group",
           "EC2-Classic: You can have up to 100 rules per group.", value=100, counts="ingress",
           reason="EC2-Classic groups have ingress rules only (egress rules are EC2-VPC only)"),
    _limit("security_groups_per_vpc",
           "EC2-VPC: You can create up to 100 security groups per VPC.", value=100),
    _limit("classic_security_groups",
           "EC2-Classic: You can have up to 500 security groups.", value=500),
    _limit("security_groups_per_network_interface",
           "You are limited to five security groups per network interface.", value=5),
    _limit("key_pairs_per_region",
           "You can have up to five thousand key pairs per region.", value=5000),
    _limit("tags_per_resource", "Each resource can have a maximum of 10 tags.", value=10),
    _limit("tag_key_max_length",
           "Constraints: Tag keys are case-sensitive and accept a maximum of 127 Unicode "
           "characters. May not begin with `aws :`", value=127,
           reason="the spec prints the reserved prefix as 'aws :' (with a space); the "
                  "service's reserved prefix is 'aws:'"),
    _limit("tag_value_max_length",
           "Constraints: Tag values are case-sensitive and accept a maximum of 255 Unicode "
           "characters.", value=255),
    _limit("security_group_name_max_length",
           "Constraints: Up to 255 characters in length", value=255,
           reason="stated for both GroupName and GroupDescription of CreateSecurityGroup"),
    _limit("ami_name_length",
           "AMI names must be between 3 and 128 characters long, and may contain letters, "
           "numbers, and only the following characters: () . - / _", min=3, max=128),
    _limit("network_acl_rule_number",
           "Constraints: Positive integer from 1 to 32766", min=1, max=32766),
    _limit("volume_size_gib",
           "Constraints: 1-1024 for `standard` volumes, 1-16384 for `gp2` volumes, and "
           "4-16384 for `io1` volumes. If you specify a snapshot, the volume size must be equal "
           "to or larger than the snapshot size.",
           standard=[1, 1024], gp2=[1, 16384], io1=[4, 16384]),
    _limit("io1_iops_per_gib",
           "Only valid for Provisioned IOPS (SSD) volumes. The number of I/O operations per "
           "second (IOPS) to provision for the volume, with a maximum ratio of 30 IOPS/GiB.",
           value=30),
    _limit("max_results",
           "This value can be between 5 and 1000; if `MaxResults` is given a value larger than "
           "1000, only 1000 results are returned.", min=5, max=1000,
           reason="stated for several Describe* actions' MaxResults; others give no range"),
    _limit("describe_instance_status_ids",
           "Constraints: Maximum 100 explicitly specified instance IDs.", value=100),
    _limit("client_token_max_length", "Constraints: Maximum 64 ASCII characters", value=64),
    _limit("spot_instances_per_request",
           "The number shouldn't exceed the 3,000 maximum allowed per request.", value=3000),
    _limit("request_clock_skew_minutes",
           "The difference between the request timestamp and the AWS server time is greater "
           "than 5 minutes.", value=5),
    _limit("request_expiry_minutes",
           "The request reached the service more than 15 minutes after the date stamp on the "
           "request or more than 15 minutes after the request expiration date (such as for "
           "pre-signed URLs), or the date stamp on the request is more than 15 minutes in the "
           "future.", value=15),
]


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
MUTATING_EXCEPTIONS = {
    "ConfirmProductInstance": (
        False, "only checks whether a product code is attached to an instance (returns the "
               "owner ID); changes nothing"),
    "ReportInstanceStatus": (
        True, "changes no resource, but records a status report with the service"),
}

# (action, wire) -> why the spec's and the model's required flags differ.
REQUIRED_REASONS = {
    ("AssociateAddress", "InstanceId"): (
        "the spec's parameter table marks it Required: Yes, but its own description says it is "
        "required for EC2-Classic only; in EC2-VPC a request may give NetworkInterfaceId instead"),
    ("AssociateAddress", "PublicIp"): (
        "the spec's parameter table marks it Required: Yes, but its own description says it is "
        "required for EC2-Classic only; EC2-VPC requests give AllocationId instead"),
}

# (action, spec or wire name) -> why one side lacks the parameter.
MISSING_REASONS = {
    ("RequestSpotInstances", "LaunchSpecification.MonitoringEnabled"): (
        "the spec's LaunchSpecification data type has a Boolean MonitoringEnabled; the model sends "
        "LaunchSpecification.Monitoring.Enabled (RunInstancesMonitoringEnabled) instead"),
    ("RequestSpotInstances", "LaunchSpecification.Monitoring"): (
        "the model's equivalent of the spec's LaunchSpecification.MonitoringEnabled"),
    ("RequestSpotInstances", "LaunchSpecification.SecurityGroupId.N"): (
        "the spec's LaunchSpecification data type has only SecurityGroups (GroupIdentifier list, "
        "names and IDs); the model sends names as SecurityGroup.N and IDs as SecurityGroupId.N"),
}


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
