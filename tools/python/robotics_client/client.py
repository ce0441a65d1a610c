"""RobotClient: the robot side of the protocol on a DEALER socket (reconnects by itself, never blocks on send)."""
import logging
import time

import numpy as np
import zmq
import zmq.auth

from .protocol import ProtocolError, decode, encode, unpack_array

log = logging.getLogger("robotics_client")


class RobotClient:
    """Say hello, send observations, receive action chunks and commands.

    With server_key_file (the host's NAME.key) and client_key_file (this peer's NAME.key_secret) the connection
    uses CurveZMQ: libzmq completes no handshake with a host that lacks that key's secret and never falls back to
    unauthenticated framing, and the host admits only keys on its robot or operator allowlist (PROTOCOL.md §6).
    Messages from the host other than command{stop} are returned only after its welcome on this session.
    """

    def __init__(self, endpoint, name, state_dim, action_dim, action_mode="delta", cameras=(),
                 server_key_file=None, client_key_file=None, high_water_mark=16, max_message_bytes=16 * 1024 * 1024,
                 role="robot"):
        self.name = name
        self.max_message_bytes = max_message_bytes
        self._seq = 0
        self.welcomed = False
        self.errors = []
        self._hello_body = {"role": role, "name": name, "action_dim": action_dim, "state_dim": state_dim,
                            "action_mode": action_mode, "cameras": list(cameras)}
        self._context = zmq.Context.instance()
        self.socket = self._context.socket(zmq.DEALER)
        self.socket.setsockopt(zmq.LINGER, 0)
        self.socket.setsockopt(zmq.SNDHWM, high_water_mark)
        self.socket.setsockopt(zmq.RCVHWM, 4 * high_water_mark)
        self.socket.setsockopt(zmq.MAXMSGSIZE, max_message_bytes)
        self.socket.setsockopt(zmq.RECONNECT_IVL, 100)
        self.socket.setsockopt(zmq.RECONNECT_IVL_MAX, 1000)
        if server_key_file:
            if not client_key_file:
                raise ValueError("CurveZMQ needs client_key_file (NAME.key_secret) besides server_key_file")
            server_public, _ = zmq.auth.load_certificate(server_key_file)
            client_public, client_secret = zmq.auth.load_certificate(client_key_file)
            if client_secret is None:
                raise ValueError(f"{client_key_file} holds no secret key")
            self.socket.curve_serverkey = server_public
            self.socket.curve_publickey = client_public
            self.socket.curve_secretkey = client_secret
        self.socket.connect(endpoint)
        self._last_hello = 0.0

    def send(self, message_type, body):
        """Queues a message; returns False when the queue is full (host gone): the message is dropped, never blocks."""
        self._seq += 1
        frame = encode(message_type, body, self._seq, self.name)
        try:
            self.socket.send(frame, zmq.NOBLOCK)
            return True
        except zmq.Again:
            return False

    def hello(self):
        self._last_hello = time.monotonic()
        return self.send("hello", self._hello_body)

    def send_command(self, command, task_index=None, instruction=None, steps=None, seed=None):
        """Operator commands (the hello must have said role="operator")."""
        return self.send("command", {"command": command, "task_index": task_index, "instruction": instruction,
                                     "steps": steps, "seed": seed})

    def send_observation(self, episode, step, state, images=None, task_index=None, instruction=None,
                         success=False, done=False):
        return self.send("observation", {
            "episode": int(episode), "step": int(step), "state": np.asarray(state, dtype=np.float32),
            "images": {k: np.asarray(v, dtype=np.uint8) for k, v in (images or {}).items()},
            "task_index": task_index, "instruction": instruction, "success": bool(success), "done": bool(done)})

    def poll(self, timeout_ms=10):
        """All messages waiting now (after up to timeout_ms for the first): list of (type, body).

        Action chunk bodies get their "actions" as a numpy array. Heartbeats and welcomes are handled here; an
        "unauthorized" error (the host restarted and forgot us) triggers a new hello.
        """
        messages = []
        if not self.socket.poll(timeout_ms):
            self._keepalive()
            return messages
        while True:
            try:
                frame = self.socket.recv(zmq.NOBLOCK)
            except zmq.Again:
                break
            try:
                kind, envelope = decode(frame, self.max_message_bytes)
            except ProtocolError as e:
                log.warning("dropped a bad message from the host: %s", e)
                continue
            body = envelope["body"]
            if kind == "heartbeat":
                continue
            if kind == "status" and body.get("state") == "welcome":
                self.welcomed = True
                continue
            if kind == "error":
                self.errors.append(body)
                if body.get("code") == "unauthorized":
                    self.welcomed = False
                    if time.monotonic() - self._last_hello > 0.25:
                        self.hello()
                continue
            if not self.welcomed and not (kind == "command" and body.get("command") == "stop"):
                continue  # not for this session: only a stop (always safe) is acted on before the welcome
            if kind == "action_chunk":
                body["actions"] = unpack_array(body["actions"], "body.actions")
            messages.append((kind, body))
        self._keepalive()
        return messages

    def _keepalive(self):
        if not self.welcomed and time.monotonic() - self._last_hello > 0.5:
            self.hello()

    def wait_welcomed(self, timeout_s=5.0):
        deadline = time.monotonic() + timeout_s
        self.hello()
        pending = []
        while not self.welcomed and time.monotonic() < deadline:
            pending.extend(self.poll(20))
        return self.welcomed

    def close(self):
        self.socket.close(0)
