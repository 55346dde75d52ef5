#!/usr/bin/env python3
"""Extract a machine-readable catalog from the plain-text EC2 API Reference.

Usage: python tools/spec_extract.py [--spec PATH] [--catalog-out PATH] [--samples-out PATH]

Reads the 2014-10-01 API Reference (a PDF rendered to text) and writes:

* conformance/catalog/data/spec-2014-10-01.json -- actions, parameters,
  response elements, data types, error tables, common parameters;
* tests/data/spec_samples/2014-10-01.json -- every "Sample Request" and
  "Sample Response" fenced block, with the example heading it belongs to.

Standard library only, so it runs anywhere the spec text is available.
Output is deterministic (sorted keys, indent=1, trailing newline) so the
committed files can be compared byte-for-byte with a fresh run.
"""

import argparse
import io
import json
import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
CATALOG_OUT = REPO_ROOT / "conformance" / "catalog" / "data" / "spec-2014-10-01.json"
SAMPLES_OUT = REPO_ROOT / "tests" / "data" / "spec_samples" / "2014-10-01.json"
API_VERSION = "2014-10-01"

# The spec's own list/heading typos, corrected to the names the service
# (and botocore's model) actually uses.  Kept explicit so every correction
# is visible in the output.
ACTION_CORRECTIONS = {"DescribeInstanceState": "DescribeInstanceStatus"}
DATA_TYPE_CORRECTIONS = {
    "SpotInstanceState": "SpotInstanceStatus",
    "UserGroupIdPair": "UserIdGroupPair",
}

# Lines the PDF-to-text conversion repeats at page breaks inside tables.
PAGE_HEADER = "Amazon Elastic Compute Cloud API Reference"
FENCE = "```"
SAMPLE_LABELS = ("Sample Request", "Sample Response")


# --------------------------------------------------------------------------
# Generic helpers
# --------------------------------------------------------------------------

def find_line(lines, text, start=0, stop=None):
    """Index of the first line equal to `text` (ignoring trailing blanks)."""
    stop = len(lines) if stop is None else stop
    for i in range(start, stop):
        if lines[i].rstrip() == text:
            return i
    raise ValueError(f"line {text!r} not found after line {start + 1}")


def bullet_names(lines):
    """Names from '- [Name](#) (p. N)' bullet lines, in order."""
    out = []
    for line in lines:
        m = re.match(r"^- \[([A-Za-z0-9]+)\]", line)
        if m:
            out.append(m.group(1))
    return out


def strip_tags(text):
    """Drop HTML tags (<code>, <p>, <i>, <ul ...>) and collapse whitespace."""
    return " ".join(re.sub(r"<[^>]+>", " ", text).split())


def clean_type(text):
    """'[Filter \\(p. 439\\)](#) list' -> 'Filter list'; '`String`' -> 'String'.

    The link decoration comes in two spellings in the PDF text, with the
    page reference inside or outside the brackets; both are dropped.
    """
    text = text.replace("\\", "").replace("`", "")
    text = re.sub(r"\(p\. \d+\)", "", text)
    text = text.replace("[", "").replace("](#)", "")
    return " ".join(text.split())


FIELD_KEYS = ("Type:", "Required:", "Valid Values:", "Default:", "Constraints")


def split_valid_values(text):
    """'`a` | `b`' or '`a | b |`' -> ['a', 'b'].  Values never contain '|',
    but may contain spaces ('Linux/UNIX (Amazon VPC)')."""
    values = (v.strip().strip("`").strip() for v in text.split("|"))
    return [v for v in values if v]


# --------------------------------------------------------------------------
# Parameter / member blocks
# --------------------------------------------------------------------------

def blocks_until(lines, closer):
    """Group non-blank lines into blocks, each closed by a line starting
    with `closer` ("Required:" for parameters, "Type:" for response
    elements).  Returns (blocks, leftover_lines)."""
    blocks, cur = [], []
    for line in lines:
        if not line.strip():
            continue
        cur.append(line.rstrip())
        if line.startswith(closer):
            blocks.append(cur)
            cur = []
    return blocks, cur


def parse_field(block):
    """One parameter/member block -> dict.

    The first line is the name, except in blocks the spec prints without
    one (BundleInstance has a 'Type: String / Required: Yes' orphan): then
    name is None and the caller records it as an anomaly.
    """
    field = {"name": None if block[0].startswith("Type:") else block[0]}
    text, values = [], None
    for line in block[0 if field["name"] is None else 1:]:
        if values is not None and not line.startswith(FIELD_KEYS):
            values.append(line)  # long value lists wrap onto following lines
            continue
        values = None
        if line.startswith("Type:"):
            field["type"] = clean_type(line[len("Type:"):])
        elif line.startswith("Required:"):
            field["required"] = line.split(":", 1)[1].strip() == "Yes"
        elif line.startswith("Valid Values:"):
            values = field["valid_values"] = [line.split(":", 1)[1]]
        elif line.startswith("Default:"):
            field["default"] = line.split(":", 1)[1].strip()
        elif line.startswith("Constraints"):
            field.setdefault("constraints", []).append(line)
        else:
            text.append(line)
    if text:
        field["description"] = "\n".join(text)
    if "valid_values" in field:
        field["valid_values"] = split_valid_values(" ".join(field["valid_values"]))
    return field


def split_request_response_name(name):
    """'DeviceName (request), **deviceName** (response)' -> both names."""
    m = re.match(r"^(\S+) \(request\), \*\*(\S+)\*\* \(response\)$", name)
    return (m.group(1), m.group(2)) if m else (name, None)


# --------------------------------------------------------------------------
# Actions
# --------------------------------------------------------------------------

def parse_action_list(lines):
    """The alphabetical list under the 'Actions' heading, with the spec's
    misspelling(s) corrected and recorded."""
    start = find_line(lines, "Actions", find_line(lines, "List of Actions by Function"))
    listed = []
    for line in lines[start + 1:]:
        names = bullet_names([line])
        if names:
            listed.extend(names)
        elif listed and line.strip() and not line.startswith("- "):
            break  # first non-bullet text after the list: the first action section
    corrections = [{"listed": n, "actual": ACTION_CORRECTIONS[n]}
                   for n in listed if n in ACTION_CORRECTIONS]
    return [ACTION_CORRECTIONS.get(n, n) for n in listed], corrections, start


def action_sections(lines, names, start, stop):
    """{name: lines of its section}; every action heading is a whole line
    of its own, appearing exactly once between the list and 'Data Types'."""
    heads = sorted((find_line(lines, n, start + len(names), stop), n) for n in names)
    bounds = [h for h, _ in heads] + [stop]
    return {n: lines[h:bounds[k + 1]] for k, (h, n) in enumerate(heads)}


def paragraphs(lines):
    """Non-blank lines joined with newlines (one paragraph or bullet each)."""
    return "\n".join(x.rstrip() for x in lines if x.strip())


def subsection(sec, title, next_title):
    return sec[find_line(sec, title) + 1:find_line(sec, next_title)]


def parse_request_params(sec):
    """Request parameter blocks; returns (params, anomalies)."""
    body = subsection(sec, "Request Parameters", "Response Elements")
    # Skip the boilerplate pointer to the common parameters.
    body = [x for x in body if not x.startswith("For information about the common")]
    blocks, leftover = blocks_until(body, "Required:")
    params, anomalies = [], []
    for block in blocks:
        field = parse_field(block)
        if field["name"] is None:
            anomalies.append({"kind": "parameter without a name line",
                              "type": field.get("type"), "required": field.get("required")})
        else:
            params.append(field)
    if leftover:
        anomalies.append({"kind": "unterminated parameter block", "lines": leftover})
    return params, anomalies


def parse_response_elements(sec):
    body = subsection(sec, "Response Elements", "Errors")
    body = [x for x in body if x.strip() != "The following elements are returned."]
    blocks, leftover = blocks_until(body, "Type:")
    assert not leftover, leftover
    return [{"name": b[0], "type": clean_type(b[-1][len("Type:"):]),
             "description": "\n".join(b[1:-1])} for b in blocks]


def parse_actions(lines):
    names, corrections, start = parse_action_list(lines)
    sections = action_sections(lines, names, start, find_line(lines, "Data Types", start))
    actions = {}
    for name, sec in sections.items():
        params, anomalies = parse_request_params(sec)
        entry = {"description": paragraphs(sec[1:find_line(sec, "Request Parameters")]),
                 "params": params, "response_elements": parse_response_elements(sec)}
        if anomalies:
            entry["anomalies"] = anomalies
        actions[name] = entry
    return names, corrections, actions, sections


# --------------------------------------------------------------------------
# Data types
# --------------------------------------------------------------------------

def data_type_headings(lines, start, stop):
    """A data type heading is the line two above a 'Description' line.

    One type (DiskImage) has a member literally named 'Description', whose
    'heading' would be 'Contents'; that is excluded.
    """
    heads = []
    for i in range(start + 2, stop):
        if lines[i].rstrip() == "Description" and not lines[i - 1].strip():
            if lines[i - 2].rstrip() != "Contents":
                heads.append((i - 2, lines[i - 2].rstrip()))
    return heads


def parse_member(block):
    field = parse_field(block)
    field["name"], response_name = split_request_response_name(field["name"])
    if response_name is not None:
        field["response_name"] = response_name
    return field


def parse_data_types(lines):
    start = find_line(lines, "Data Types")
    stop = find_line(lines, "Making API Requests", start)
    heads = data_type_headings(lines, start, stop)
    listed = bullet_names(lines[start:heads[0][0]])
    bounds = [h for h, _ in heads] + [stop]
    types, corrections = {}, []
    for k, (h, heading) in enumerate(heads):
        name = DATA_TYPE_CORRECTIONS.get(heading, heading)
        if name != heading:
            corrections.append({"heading": heading, "actual": name})
        sec = lines[h:bounds[k + 1]]
        blocks, leftover = blocks_until(sec[find_line(sec, "Contents") + 1:], "Required:")
        assert not leftover, (name, leftover)
        types[name] = {"description": paragraphs(sec[find_line(sec, "Description") + 1:
                                                     find_line(sec, "Contents")]),
                       "members": [parse_member(b) for b in blocks]}
    assert sorted(types) == sorted(listed), set(types) ^ set(listed)
    return types, corrections


# --------------------------------------------------------------------------
# Error tables and common parameters
# --------------------------------------------------------------------------

def table_rows(lines, title):
    """Tab-separated rows of a table that page breaks interrupt with the
    running header and a repeated section title; both are skipped, as is
    the repeated column-header row."""
    rows = []
    for line in lines:
        line = line.rstrip()
        if "\t" not in line or line in (PAGE_HEADER, title):
            continue
        cells = line.split("\t")
        if cells[0] in ("Error Code", "Name"):
            continue
        rows.append(cells)
    return rows


def parse_error_table(lines, title, next_title):
    start = find_heading(lines, title, find_line(lines, "Data Types"))
    stop = find_heading(lines, next_title, start + 1)
    errors = []
    for cells in table_rows(lines[start:stop], title):
        code = strip_tags(cells[0])
        # Codes are identifiers such as 'InvalidVpcID.NotFound'; anything
        # else means a table row was mis-split.
        assert re.fullmatch(r"[A-Za-z0-9.]+", code), cells
        errors.append({"code": code, "description": strip_tags(" ".join(cells[1:]))})
    return errors


def parse_errors(lines):
    return {
        "common_client_errors": parse_error_table(
            lines, "Common Client Errors", "Client Errors For Specific Actions"),
        "specific_client_errors": parse_error_table(
            lines, "Client Errors For Specific Actions", "Common Causes of Client Errors"),
        "server_errors": parse_error_table(lines, "Server Errors", "Example Error Response"),
    }


def find_heading(lines, text, start):
    """Like find_line, but skips copies of `text` that are only the running
    title printed under a page header (the PDF repeats section titles,
    sometimes the *next* section's title, at every page break)."""
    i = find_line(lines, text, start)
    while lines[i - 1].rstrip() == PAGE_HEADER:
        i = find_line(lines, text, i + 1)
    return i


def parse_common_parameters(lines):
    """Both signature-version tables, merged by parameter name.

    The tables give name, description and a Required column ('Yes', 'No' or
    'Conditional. ...'); they state no types, so "type" is null.
    """
    start = find_line(lines, "Common Query Parameters", find_line(lines, "Data Types"))
    v4 = find_heading(lines, "Common Query Parameters for Signature Version 4", start)
    stop = find_line(lines, "Note", v4)
    merged = {}
    for version, (a, b) in (("2", (start, v4)), ("4", (v4, stop))):
        for cells in table_rows(lines[a:b], ""):
            name = strip_tags(cells[0])
            required = cells[-1].strip()
            entry = merged.setdefault(name, {"name": name, "type": None,
                                             "required": required == "Yes",
                                             "signature_versions": []})
            if required.startswith("Conditional"):
                entry["condition"] = strip_tags(required)
            entry["signature_versions"].append(version)
    return list(merged.values())


# --------------------------------------------------------------------------
# Sample requests and responses
# --------------------------------------------------------------------------

CONTINUED = "+"  # pseudo-label: fence opened right after another fence closed


def fenced_blocks(body):
    """[(label, heading, text)] for every fenced block of an Examples
    subsection.  `label` is 'Sample Request'/'Sample Response' when that
    line precedes the opening fence, CONTINUED when only blank lines
    separate it from the previous block, else None.  `heading` is the most
    recent 'Example...' heading as (ordinal, text); (0, None) before the
    first one.  Ordinals keep repeated bare 'Example' headings apart."""
    out, heading, label, inside, buf = [], (0, None), None, False, []
    for line in body:
        if line.startswith(FENCE):
            if inside:
                out.append((label, heading, "\n".join(buf)))
                buf = []
            label = CONTINUED if inside else label
            inside = not inside
        elif inside:
            buf.append(line)
        elif line.strip():
            label = line.strip() if line.strip() in SAMPLE_LABELS else None
            if line.startswith("Example"):
                heading = (heading[0] + 1, line.strip())
    return out


def merge_continuations(blocks):
    """Page breaks split long samples into several fenced blocks; a block
    that directly follows another continues it, unless it opens a new
    request URL (DescribeReservedInstancesOfferings prints a second,
    unlabeled request that way).  Returns (samples, unlabeled); samples
    are [label, heading, [texts]]."""
    samples, unlabeled, last = [], [], None
    for label, heading, text in blocks:
        if label == CONTINUED and last is not None and not text.lstrip().startswith("https://"):
            last[2].append(text)
            continue
        last = [label, heading, [text]]
        (samples if label in SAMPLE_LABELS else unlabeled).append(last)
    return samples, unlabeled


def well_formed(text):
    """None if `text` parses as namespace-well-formed XML, else why not.

    expat accepts an xmlns value containing whitespace, but libxml2 (lxml)
    rejects it as an invalid URI.  The PDF wraps some long xmlns values
    ('.../doc/2014-' newline '10-01/'), so those count as not well-formed
    too -- downstream code parses with lxml.
    """
    try:
        for _event, (_prefix, uri) in ET.iterparse(io.StringIO(text), events=("start-ns",)):
            if re.search(r"\s", uri):
                return f"namespace URI {uri!r} contains whitespace (line break inside xmlns)"
    except ET.ParseError as exc:
        return str(exc)
    return None


def closes_own_root(text):
    """True if the block's last line closes the element its first tag opens,
    i.e. the block is a whole document as far as the printout goes."""
    opening = re.search(r"<([A-Za-z][\w.-]*)", text)
    lines = [x.strip() for x in text.splitlines() if x.strip()]
    return bool(opening and lines and lines[-1] == f"</{opening.group(1)}>")


def response_body(texts, notes):
    """The XML body of a Sample Response, plus any trailing fragments."""
    if len(texts) > 1 and closes_own_root(texts[0]):
        # The labelled block already closes its root element; what follows
        # the page break is a fragment (a partial re-print of the tail, or
        # more items of a longer version).  Keep it aside rather than glue
        # a second, partial tail onto the document.
        notes.append("the labelled block closes its root element; the %d fenced block(s) "
                     "after the page break hold fragments that do not fit it (partial "
                     "re-prints or continuations) and are kept in trailing_fragments"
                     % (len(texts) - 1))
        return texts[0], texts[1:]
    return join_blocks(texts, notes), []


def join_blocks(texts, notes):
    if len(texts) > 1:
        notes.append("printed as %d fenced blocks split by page breaks; joined with "
                     "newlines" % len(texts))
    return "\n".join(texts)


def request_action(entry, notes):
    """Record which action a sample request calls: usually its section's,
    but DescribeSpotInstanceRequests shows a DescribeInstances call,
    DisableVgwRoutePropagation's calls 'DisableVgwRoutePropagationResponse'
    and CreateKeyPair labels a shell command 'Sample Request'."""
    m = re.search(r"(?:^|[?&\s])Action=([A-Za-z0-9]+)", entry["text"])
    entry["request_action"] = m.group(1) if m else None
    if m is None:
        notes.append("not a Query API request (no Action= parameter)")
    elif m.group(1) != entry["action"]:
        notes.append(f"printed in the {entry['action']} section but calls {m.group(1)}")


def sample_entry(action, label, heading, texts, counter):
    """One requests/responses entry.  RunInstances prints its examples
    without headings; those are numbered by request position instead."""
    ordinal, title = heading
    entry, notes = {"action": action}, []
    if title is None:
        if label == "Sample Request":
            counter[0] += 1
        ordinal, title = counter[0], f"Example {counter[0]}"
        notes.append("the spec prints this example without a heading; numbered by position")
    entry["example"], entry["example_index"] = title, ordinal
    if len(texts) > 1:
        entry["fenced_blocks"] = len(texts)
    if label == "Sample Request":
        key, entry["text"] = "requests", join_blocks(texts, notes)
        request_action(entry, notes)
    else:
        key = "responses"
        entry["body"], fragments = response_body(texts, notes)
        if fragments:
            entry["trailing_fragments"] = fragments
        error = well_formed(entry["body"])
        if error is not None:
            entry["well_formed"] = False
            notes.insert(0, "not well-formed XML as printed: " + error)
    if notes:
        entry["note"] = "; ".join(notes)
    return key, entry


def parse_samples(sections):
    out = {"requests": [], "responses": [], "unlabeled_blocks": []}
    for action in sorted(sections):
        sec = sections[action]
        samples, unlabeled = merge_continuations(
            fenced_blocks(sec[find_line(sec, "Examples") + 1:]))
        counter = [0]
        for label, heading, texts in samples:
            key, entry = sample_entry(action, label, heading, texts, counter)
            out[key].append(entry)
        for _label, (ordinal, title), texts in unlabeled:
            out["unlabeled_blocks"].append({
                "action": action, "example": title, "example_index": ordinal,
                "text": "\n".join(texts),
                "note": "fenced block with no 'Sample Request'/'Sample Response' label"})
    return out


# --------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------

def build_catalog(lines, spec_name):
    names, corrections, actions, sections = parse_actions(lines)
    data_types, type_corrections = parse_data_types(lines)
    catalog = {
        "source": spec_name,
        "api_version": API_VERSION,
        "action_list": names,
        "corrections": corrections,
        "data_type_corrections": type_corrections,
        "actions": actions,
        "data_types": data_types,
        "common_parameters": parse_common_parameters(lines),
    }
    catalog.update(parse_errors(lines))
    return catalog, parse_samples(sections)


def dump(obj):
    return json.dumps(obj, sort_keys=True, indent=1, ensure_ascii=False) + "\n"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--spec", type=Path, default=None,
                        help="the spec text (default: tools/spec_text.py's find_spec)")
    # The output options exist so tests can regenerate into a temporary
    # directory and compare with the committed files.
    parser.add_argument("--catalog-out", type=Path, default=CATALOG_OUT)
    parser.add_argument("--samples-out", type=Path, default=SAMPLES_OUT)
    args = parser.parse_args(argv)
    if args.spec is None:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from spec_text import find_spec

        args.spec = find_spec()
    lines = args.spec.read_text(encoding="utf-8").split("\n")
    catalog, samples = build_catalog(lines, args.spec.name)
    for path, obj in ((args.catalog_out, catalog), (args.samples_out, samples)):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(dump(obj), encoding="utf-8")
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
