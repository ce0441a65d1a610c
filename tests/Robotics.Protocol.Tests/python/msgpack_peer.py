"""An independent protocol peer: plain msgpack + numpy, arrays as openpi's msgpack_numpy writes them.

write DIR   -> writes one message per file, as a Python robot bridge would send them
read FILE   -> decodes a C#-written message and prints a JSON summary (arrays as lists + dtype + shape)
"""
import json
import sys
import time

import msgpack
import numpy as np


def pack_array(a):
    return {b"__ndarray__": True, b"data": a.tobytes(), b"dtype": a.dtype.str, b"shape": a.shape}


def pack(obj):
    if isinstance(obj, np.ndarray):
        return {"__ndarray__": True, "data": obj.tobytes(), "dtype": obj.dtype.str, "shape": obj.shape}
    return obj


def unpack(obj):
    if "__ndarray__" in obj:
        return np.ndarray(buffer=obj["data"], dtype=np.dtype(obj["dtype"]), shape=obj["shape"])
    return obj


def envelope(kind, seq, body):
    return {"v": 1, "type": kind, "seq": seq, "sender": "py-peer", "t_ns": time.monotonic_ns(), "body": body}


def write(directory):
    state = np.array([0.5, -1.25, 3.0, 1e-3], dtype=np.float32)
    image = (np.arange(2 * 3 * 3) * 11 % 256).astype(np.uint8).reshape(2, 3, 3)
    messages = {
        "observation": envelope("observation", 7, {
            "episode": 2, "step": 40, "state": state, "images": {"wrist": image},
            "task_index": 1, "instruction": "push the block left", "success": False, "done": False}),
        "hello": envelope("hello", 1, {"role": "robot", "name": "py-arm", "action_dim": 2, "state_dim": 4,
                                       "action_mode": "absolute", "cameras": ["wrist"], "client_key": None, "proof": None}),
        "command": envelope("command", 2, {"command": "backtrack", "steps": 5}),
        "action_chunk": envelope("action_chunk", 3, {
            "chunk_id": 11, "episode": 2, "first_step": 40, "step_period_s": 0.02,
            "actions": np.arange(6, dtype=np.float32).reshape(3, 2) / 4, "obs_seq": 7, "backtrack": False}),
        "bad_version": {**envelope("heartbeat", 4, {}), "v": 99},
        "bad_dtype": envelope("observation", 5, {"episode": 0, "step": 0, "state": state.astype(">f4"), "images": {}}),
        "wrong_shape": envelope("observation", 6, {"episode": 0, "step": 0, "state": state.reshape(2, 2), "images": {}}),
    }
    for name, message in messages.items():
        with open(f"{directory}/{name}.msgpack", "wb") as f:
            f.write(msgpack.packb(message, default=pack, use_bin_type=True))


def to_json(value):
    if isinstance(value, np.ndarray):
        return {"dtype": value.dtype.str, "shape": list(value.shape), "values": [v if np.isfinite(v) else repr(v) for v in value.astype(np.float64).ravel().tolist()]}
    if isinstance(value, dict):
        return {k: to_json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_json(v) for v in value]
    if isinstance(value, bytes):
        return value.hex()
    return value


def read(path):
    with open(path, "rb") as f:
        message = msgpack.unpackb(f.read(), object_hook=unpack, raw=False)
    print(json.dumps(to_json(message)))


if __name__ == "__main__":
    {"write": write, "read": read}[sys.argv[1]](sys.argv[2])
