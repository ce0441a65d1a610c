"""Python peer for the robotics control host (see PROTOCOL.md): pyzmq + msgpack + numpy.

A robot-side bridge imports RobotClient, says hello, sends observations and executes the action rows it receives.
"""
from .protocol import PROTOCOL_VERSION, ProtocolError, decode, encode, pack_array, unpack_array
from .client import RobotClient

__all__ = ["PROTOCOL_VERSION", "ProtocolError", "RobotClient", "decode", "encode", "pack_array", "unpack_array"]
