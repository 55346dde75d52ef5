"""EC2 Query protocol: serializer, raw layer, signing and the recording client."""

from ._client import Client, EndpointUnreachable, RunStopped
from ._exchange import (Exchange, RecordedRequest, RecordedResponse, redact_headers, redact_pairs,
                        redact_text)
from ._raw import RawRequest, encode_pairs
from ._serializer import scalar_text, serialize
from ._signing import resolve_credentials, sign
from ._xml import (DEFAULT_MAX_BYTES, NOT_XML_KINDS, UNKNOWN_ACTION_CODES, ResponseParseError,
                   all_texts, error_code, first_text, parse_or_none, parse_response)

__all__ = ["Client", "EndpointUnreachable", "Exchange", "RawRequest", "RecordedRequest",
           "RecordedResponse", "RunStopped", "DEFAULT_MAX_BYTES", "NOT_XML_KINDS",
           "ResponseParseError", "UNKNOWN_ACTION_CODES", "all_texts", "error_code", "first_text", "parse_or_none",
           "parse_response", "encode_pairs", "resolve_credentials",
           "scalar_text", "serialize", "sign", "redact_headers", "redact_pairs",
           "redact_text"]
