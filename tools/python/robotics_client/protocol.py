"""Envelope and array encoding, exactly as PROTOCOL.md specifies (msgpack maps, openpi-style ndarrays)."""
import time

import msgpack
import numpy as np

PROTOCOL_VERSION = 1
MESSAGE_TYPES = {"hello", "observation", "action_chunk", "command", "status", "heartbeat", "error"}
_DTYPES = {"<f4", "<f8", "<i8", "<i4", "|u1", "|b1"}


class ProtocolError(ValueError):
    """A message that does not follow PROTOCOL.md; the message names the field."""


def pack_array(array):
    """{__ndarray__, data, dtype, shape}: C-order little-endian bytes, numpy dtype.str, shape as a list."""
    array = np.ascontiguousarray(array)
    if array.dtype.byteorder == ">":
        array = array.astype(array.dtype.newbyteorder("<"))
    if array.dtype.str not in _DTYPES:
        raise ProtocolError(f"dtype {array.dtype.str} is not on the wire (use one of {sorted(_DTYPES)})")
    return {"__ndarray__": True, "data": array.tobytes(), "dtype": array.dtype.str, "shape": list(array.shape)}


def unpack_array(value, field):
    if not isinstance(value, dict) or value.get("__ndarray__") is not True:
        raise ProtocolError(f"{field}: expected an ndarray map")
    dtype = value.get("dtype")
    if dtype not in _DTYPES and dtype not in ("float32", "float64", "int64", "int32", "uint8", "bool"):
        raise ProtocolError(f"{field}.dtype: unsupported {dtype!r}")
    shape = tuple(value.get("shape") or ())
    data = value.get("data")
    expected = int(np.prod(shape, dtype=np.int64)) * np.dtype(dtype).itemsize
    if not isinstance(data, bytes) or len(data) != expected:
        raise ProtocolError(f"{field}.data: shape {shape} of {dtype} needs {expected} bytes")
    return np.frombuffer(data, dtype=np.dtype(dtype)).reshape(shape)


def _default(obj):
    if isinstance(obj, np.ndarray):
        return pack_array(obj)
    if isinstance(obj, np.generic):
        return obj.item()
    raise TypeError(f"cannot encode {type(obj).__name__}")


def encode(message_type, body, seq, sender):
    if message_type not in MESSAGE_TYPES:
        raise ProtocolError(f"type: unknown message type {message_type!r}")
    envelope = {"v": PROTOCOL_VERSION, "type": message_type, "seq": seq, "sender": sender,
                "t_ns": time.monotonic_ns(), "body": body}
    return msgpack.packb(envelope, default=_default, use_bin_type=True)


def decode(frame, max_bytes=16 * 1024 * 1024):
    """Returns (type, envelope dict); arrays inside the body stay as maps (use unpack_array)."""
    if len(frame) > max_bytes:
        raise ProtocolError(f"message of {len(frame)} bytes exceeds {max_bytes}")
    try:
        envelope = msgpack.unpackb(frame, raw=False, strict_map_key=True)
    except Exception as e:  # msgpack raises several types on bad input
        raise ProtocolError(f"not valid MessagePack: {e}") from e
    if not isinstance(envelope, dict):
        raise ProtocolError("envelope must be a map")
    if envelope.get("v") != PROTOCOL_VERSION:
        raise ProtocolError(f"v: protocol version {envelope.get('v')!r} is not supported")
    if envelope.get("type") not in MESSAGE_TYPES:
        raise ProtocolError(f"type: unknown message type {envelope.get('type')!r}")
    if not isinstance(envelope.get("body"), dict):
        raise ProtocolError("body: expected a map")
    return envelope["type"], envelope
