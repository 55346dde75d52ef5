"""A fault-injecting loopback reverse proxy: the generic core of the fault catalog.

``FaultProxy(upstream, faults)`` listens on a free loopback port and forwards
every request to ``upstream``; a ``Fault`` that matches a request (by action
and parameters) transforms it or its answer.  Faults are plain data, so a
fault set can live in a JSON file::

    {"name": "drop-first-subnet", "action": "DescribeSubnets",
     "response": [{"op": "remove", "select": "//subnetSet/item[1]"}]}

Response edits run on the XML with namespaces stripped, so ``select`` is plain
XPath over local names; the original namespace is put back before sending.
Edit ops: ``remove``, ``set`` (text), ``sub`` (regex on text), ``duplicate``,
``append`` (an XML fragment as the last child), ``rename`` (``to`` a new local
name).  Whole-answer ops: ``status``, ``body`` (``{action}`` and
``{param:NAME}`` are filled in), ``error`` (an EC2 error envelope with
``code``), ``namespace`` (a new default namespace; ``""`` for none),
``headers`` (replaced response headers), ``truncate`` (keep that fraction of
the body) and ``delay``.  Request edits: ``set_params``/``drop_params``.

Which answers a fault touches: ``only_success`` (2xx only) or ``when_code``
(error answers whose code matches a glob).  Which requests: ``action``,
``params`` and ``when``, the name of a registered request predicate
(``register_predicate``), for tests data cannot express (a bad signature).
``forward: false`` answers without asking the upstream at all.
"""

from __future__ import annotations

import copy
import fnmatch
import re
import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import requests
from lxml import etree

from ..protocol import ResponseParseError, parse_response

__all__ = ["Fault", "FaultError", "FaultProxy", "EDIT_OPS", "ProxyRequest", "PREDICATES",
           "register_predicate"]

EDIT_OPS = ("remove", "set", "sub", "duplicate", "append", "rename")
_HOP_BY_HOP = {"connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te",
               "trailers", "transfer-encoding", "upgrade", "content-length", "host",
               "content-encoding"}
_ERROR_ENVELOPE = ('<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error>'
                   "<Code>{code}</Code><Message>{message}</Message></Error></Errors>"
                   "<RequestID>fault-proxy</RequestID></Response>")
_CODE = re.compile(rb"<Code>\s*([^<\s]+)\s*</Code>")
_PARAM = re.compile(r"\{param:([^}]+)\}")


@dataclass(frozen=True)
class ProxyRequest:
    """What a request predicate sees: the request as the client sent it."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    pairs: list[tuple[str, str]]
    action: str | None
    upstream: str = ""  # the proxied endpoint, for predicates that must look at state


# name -> predicate(request) -> bool; faults name one in ``when``.
PREDICATES: dict[str, Any] = {}


def register_predicate(name: str):
    """Register ``fn(ProxyRequest) -> bool`` under ``name`` for ``Fault.when``."""
    def decorate(fn):
        PREDICATES[name] = fn
        return fn
    return decorate


class FaultError(ValueError):
    """A fault description that cannot be used (bad op, bad XPath, bad type)."""


@dataclass(frozen=True)
class Fault:
    """One named transformation, applied to requests that match it."""

    name: str
    action: str | None = None  # glob on the request's Action; None matches any
    params: dict[str, str] = field(default_factory=dict)  # wire pairs the request must carry
    request: tuple[dict[str, Any], ...] = ()  # {"op": "set_params"|"drop_params", ...}
    response: tuple[dict[str, Any], ...] = ()  # XML edits, see the module docstring
    status: int | None = None
    body: str | None = None
    error: dict[str, str] | None = None  # {"code": ..., "message": ...}
    delay: float = 0.0
    only_success: bool = False  # touch only 2xx answers
    times: int | None = None  # apply at most this many times
    when: str | None = None  # a registered request predicate that must hold
    when_code: str | None = None  # touch only error answers whose code matches this glob
    forward: bool = True  # False: answer without contacting the upstream
    namespace: str | None = None  # new default namespace of the answer ("" = none)
    headers: dict[str, str] = field(default_factory=dict)  # response headers to replace
    truncate: float | None = None  # keep only this fraction of the answer's body

    def __post_init__(self) -> None:
        for edit in self.response:
            if edit.get("op") not in EDIT_OPS:
                raise FaultError(f"fault {self.name!r}: unknown response op {edit.get('op')!r}")
            try:
                etree.XPath(edit["select"])
            except (KeyError, etree.XPathSyntaxError) as exc:
                raise FaultError(f"fault {self.name!r}: bad select: {exc}") from None
            if edit["op"] == "rename" and not str(edit.get("to", "")).isidentifier():
                raise FaultError(f"fault {self.name!r}: rename needs a 'to' element name")
        for edit in self.request:
            if edit.get("op") not in ("set_params", "drop_params"):
                raise FaultError(f"fault {self.name!r}: unknown request op {edit.get('op')!r}")
        if self.when is not None and self.when not in PREDICATES:
            raise FaultError(f"fault {self.name!r}: unknown request predicate {self.when!r}; "
                             f"known: {', '.join(sorted(PREDICATES)) or 'none'}")
        if self.truncate is not None and not 0 <= self.truncate < 1:
            raise FaultError(f"fault {self.name!r}: truncate is a fraction in [0, 1)")
        if not self.forward and self.error is None and self.body is None:
            raise FaultError(f"fault {self.name!r}: forward=false needs an error or a body")

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "Fault":
        known = set(cls.__dataclass_fields__)
        unknown = set(data) - known
        if unknown or "name" not in data:
            raise FaultError(f"fault {data.get('name', '?')!r}: unknown or missing fields "
                             f"{sorted(unknown) or ['name']}")
        data = dict(data)
        for key in ("request", "response"):
            data[key] = tuple(data.get(key, ()))
        return cls(**data)

    def matches(self, action: str | None, pairs: list[tuple[str, str]],
                request: ProxyRequest | None = None) -> bool:
        if self.action is not None and not fnmatch.fnmatchcase(action or "", self.action):
            return False
        given = dict(pairs)
        if not all(given.get(k) == v for k, v in self.params.items()):
            return False
        if self.when is None:
            return True
        return request is not None and bool(PREDICATES[self.when](request))

    def touches(self, status: int, body: bytes) -> bool:
        """Whether this fault applies to an answer with ``status`` and ``body``."""
        if self.only_success and not 200 <= status < 300:
            return False
        if self.when_code is not None:
            found = _CODE.search(body[:8192]) if status >= 300 else None
            code = found.group(1).decode("utf-8", "replace") if found else ""
            return bool(found) and fnmatch.fnmatchcase(code, self.when_code)
        return True


class FaultProxy:
    """``with FaultProxy(upstream, [fault, ...]) as proxy: proxy.endpoint``."""

    def __init__(self, upstream: str, faults: list[Fault] | tuple[Fault, ...] = (), *,
                 timeout: float = 30.0):
        self.upstream = upstream.rstrip("/")
        self.timeout = timeout
        self.applied: dict[str, int] = {}  # fault name -> times applied
        self._faults = list(faults)
        self._lock = threading.Lock()
        self._local = threading.local()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def endpoint(self) -> str:
        if self._server is None:
            raise RuntimeError("fault proxy is not running")
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def set_faults(self, faults: list[Fault] | tuple[Fault, ...]) -> None:
        with self._lock:
            self._faults = list(faults)
            self.applied = {}

    def start(self) -> "FaultProxy":
        handler = type("_Handler", (_Handler,), {"proxy": self})
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True,
                                        name="fault-proxy")
        self._thread.start()
        return self

    def stop(self) -> None:
        server, self._server = self._server, None
        if server is not None:
            server.shutdown()
            server.server_close()

    def __enter__(self) -> "FaultProxy":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _select(self, action: str | None, pairs: list[tuple[str, str]],
                request: ProxyRequest | None = None) -> list[Fault]:
        chosen = []
        with self._lock:
            for fault in self._faults:
                if not fault.matches(action, pairs, request):
                    continue
                if fault.times is not None and self.applied.get(fault.name, 0) >= fault.times:
                    continue
                chosen.append(fault)
        return chosen

    def _upstream_session(self) -> requests.Session:
        """One kept-alive upstream connection per client connection (handler thread)."""
        session = getattr(self._local, "session", None)
        if session is None:
            session = self._local.session = requests.Session()
            session.trust_env = False  # the upstream is local: never through an HTTP proxy
        return session

    def _count(self, fault: Fault) -> None:
        with self._lock:
            self.applied[fault.name] = self.applied.get(fault.name, 0) + 1


class _Handler(BaseHTTPRequestHandler):
    proxy: FaultProxy
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # quiet: tests read .applied
        pass

    def setup(self) -> None:
        super().setup()
        # Headers and body go out in two writes; without this, Nagle's algorithm and
        # the client's delayed ACK add 40 ms to every answer.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def do_GET(self) -> None:
        self._relay()

    def do_POST(self) -> None:
        self._relay()

    def _relay(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        query = urlsplit(self.path).query
        pairs = parse_qsl(query, keep_blank_values=True)
        if "x-www-form-urlencoded" in self.headers.get("Content-Type", ""):
            pairs += parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True)
        action = dict(pairs).get("Action")
        request = ProxyRequest(self.command, self.path, dict(self.headers.items()), body,
                               list(pairs), action, self.proxy.upstream)
        faults = self.proxy._select(action, pairs, request)
        answering = next((f for f in faults if not f.forward), None)
        if answering is None:
            status, reply, content_type = self._forward(body, pairs, faults)
        else:  # the first fault that answers in the upstream's place wins
            faults = [f for f in faults if f.forward or f is answering]
            status, reply, content_type = 200, b"", "text/xml;charset=UTF-8"
        out_headers = {"Content-Type": content_type}
        for fault in faults:
            if not fault.touches(status, reply):
                continue
            self.proxy._count(fault)  # before a delay: a client that gave up still saw it
            status, reply = _transform(fault, request, status, reply)
            out_headers.update(fault.headers)
        try:
            self.send_response(status)
            for name, value in out_headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the client gave up (a read timeout): nothing to do

    def _forward(self, body: bytes, pairs: list[tuple[str, str]],
                 faults: list[Fault]) -> tuple[int, bytes, str]:
        request_edits = [e for f in faults for e in f.request]
        if request_edits and self.command == "POST":
            body = urlencode(_edit_pairs(pairs, request_edits)).encode("utf-8")
        headers = {k: v for k, v in self.headers.items() if k.lower() not in _HOP_BY_HOP}
        headers["Host"] = self.headers.get("Host", "")
        try:
            upstream = self.proxy._upstream_session().request(
                self.command, self.proxy.upstream + self.path, headers=headers, data=body,
                timeout=self.proxy.timeout, allow_redirects=False)
        except requests.RequestException as exc:
            return 502, f"upstream unreachable: {exc}".encode(), "text/plain"
        return (upstream.status_code, upstream.content,
                upstream.headers.get("Content-Type", "text/xml;charset=UTF-8"))


def _edit_pairs(pairs: list[tuple[str, str]], edits: list[dict[str, Any]]) -> list[tuple[str, str]]:
    for edit in edits:
        if edit["op"] == "drop_params":
            names = set(edit["names"])
            pairs = [(k, v) for k, v in pairs if k not in names]
        else:
            values = edit["values"]
            pairs = [(k, v) for k, v in pairs if k not in values] + list(values.items())
    return pairs


def _transform(fault: Fault, request: ProxyRequest, status: int,
               body: bytes) -> tuple[int, bytes]:
    if fault.delay:
        time.sleep(fault.delay)
    if fault.response or fault.namespace is not None:
        body = _edit_xml(body, fault.response, fault.namespace)
    if fault.error is not None:
        status = fault.status or 400
        body = _ERROR_ENVELOPE.format(code=fault.error["code"],
                                      message=fault.error.get("message", "injected fault"))
        return status, body.encode("utf-8")
    if fault.body is not None:
        body = _fill(fault.body, request).encode("utf-8")
    if fault.truncate is not None:
        body = body[: int(len(body) * fault.truncate)]
    if fault.status is not None:
        status = fault.status
    return status, body


def _fill(template: str, request: ProxyRequest) -> str:
    from xml.sax.saxutils import escape

    given = dict(request.pairs)
    text = template.replace("{action}", request.action or "")
    return _PARAM.sub(lambda m: escape(given.get(m.group(1), "")), text)


def _edit_xml(body: bytes, edits: tuple[dict[str, Any], ...],
              new_namespace: str | None = None) -> bytes:
    try:
        root = parse_response(body)
    except ResponseParseError:
        return body  # nothing to edit in a body that is not a usable XML document
    namespace = etree.QName(root).namespace
    for element in root.iter(etree.Element):
        element.tag = etree.QName(element).localname
    for edit in edits:
        for node in etree.XPath(edit["select"])(root):
            _apply(edit, node)
    if new_namespace is not None:
        namespace = new_namespace
    root = _with_namespace(root, namespace or None)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def _with_namespace(root: etree._Element, namespace: str | None) -> etree._Element:
    """A copy of the (local-name) tree with ``namespace`` as its only default namespace.

    The parsed declaration cannot be removed in place, so the root is rebuilt.
    """
    qualify = (lambda local: f"{{{namespace}}}{local}") if namespace else (lambda local: local)
    fresh = etree.Element(qualify(root.tag), attrib=dict(root.attrib),
                          nsmap={None: namespace} if namespace else None)
    fresh.text = root.text
    for child in list(root):
        fresh.append(child)
    for element in fresh.iter(etree.Element):
        element.tag = qualify(etree.QName(element).localname)
    etree.cleanup_namespaces(fresh)
    return fresh


def _apply(edit: dict[str, Any], node: Any) -> None:
    if not isinstance(node, etree._Element):
        raise FaultError(f"select {edit['select']!r} must pick elements")
    op = edit["op"]
    if op == "remove":
        node.getparent().remove(node)
    elif op == "set":
        node.text = str(edit["value"])
    elif op == "sub":
        node.text = re.sub(edit["pattern"], edit["repl"], node.text or "")
    elif op == "duplicate":  # "vary": a child whose text gets "-N" per copy (IDs stay unique)
        for n in range(int(edit.get("count", 1)), 0, -1):
            twin = copy.deepcopy(node)
            for child in twin.iter(edit["vary"]) if edit.get("vary") else ():
                child.text = f"{child.text or ''}-{n}"
            node.addnext(twin)
    elif op == "append":
        node.append(etree.fromstring(edit["xml"]))
    elif op == "rename":
        node.tag = edit["to"]

