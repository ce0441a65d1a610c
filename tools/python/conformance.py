"""Conformance peer: checks a running control host against PROTOCOL.md, written from the spec alone (pyzmq + msgpack
+ numpy, no robotics_client code). Run it against a host that is Idle or Running with Control:AutoStart on and a
policy whose rows have --action-dim values for a --state-dim state.

  conformance.py --connect tcp://127.0.0.1:5555 --state-dim 4 --action-dim 2
  conformance.py ... --server-key server.key --robot-key robot.key_secret --operator-key operator.key_secret

Prints one JSON line {"checks": [{"name", "ok", "detail"}], "passed": N, "failed": N}; exit 0 when all pass.
"""
import argparse
import json
import sys
import time

import msgpack
import numpy as np
import zmq
import zmq.auth

CHECKS = []


def check(name, ok, detail=""):
    CHECKS.append({"name": name, "ok": bool(ok), "detail": str(detail)[:300]})
    return ok


def ndarray(a):
    a = np.ascontiguousarray(a)
    return {"__ndarray__": True, "data": a.tobytes(), "dtype": a.dtype.str, "shape": list(a.shape)}


class Peer:
    """One DEALER connection = one session; seq is ours to choose. Every open peer sends a heartbeat when it has
    sent nothing for 200 ms (PROTOCOL.md §1), whichever peer the script is waiting on."""

    OPEN = []

    def __init__(self, args, key_file=None, name="conformance"):
        self.socket = zmq.Context.instance().socket(zmq.DEALER)
        self.socket.setsockopt(zmq.LINGER, 0)
        if args.server_key:
            server_public, _ = zmq.auth.load_certificate(args.server_key)
            public, secret = zmq.auth.load_certificate(key_file)
            self.socket.curve_serverkey, self.socket.curve_publickey, self.socket.curve_secretkey = server_public, public, secret
        self.socket.connect(args.connect)
        self.name, self.seq, self.host_seqs, self.last_send, self.welcomed = name, 0, [], 0.0, False
        Peer.OPEN.append(self)

    def send(self, kind, body, seq=None):
        self.seq = seq if seq is not None else self.seq + 1
        envelope = {"v": 1, "type": kind, "seq": self.seq, "sender": self.name, "t_ns": time.monotonic_ns(), "body": body}
        self.socket.send(msgpack.packb(envelope, use_bin_type=True), zmq.NOBLOCK)
        self.last_send = time.monotonic()
        return self.seq

    @staticmethod
    def keep_alive():
        for peer in Peer.OPEN:
            if peer.welcomed and time.monotonic() - peer.last_send > 0.2:
                peer.send("heartbeat", {})

    def send_raw(self, frame):
        self.socket.send(frame, zmq.NOBLOCK)

    def receive(self, timeout_s=3.0, want=lambda e: True):
        """The next non-heartbeat envelope that satisfies want, or None."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            Peer.keep_alive()
            if not self.socket.poll(max(1, min(100, int((deadline - time.monotonic()) * 1000)))):
                continue
            envelope = msgpack.unpackb(self.socket.recv(), raw=False)
            self.host_seqs.append(envelope["seq"])
            if envelope["type"] == "status" and envelope["body"].get("state") == "welcome":
                self.welcomed = True
            if envelope["type"] != "heartbeat" and want(envelope):
                return envelope
        return None

    def error(self, timeout_s=3.0):
        e = self.receive(timeout_s, lambda e: e["type"] == "error")
        return e["body"] if e else None

    def close(self):
        Peer.OPEN.remove(self)
        self.socket.close(0)


def robot_hello(args, **overrides):
    body = {"role": "robot", "name": "conformance-robot", "action_dim": args.action_dim, "state_dim": args.state_dim,
            "action_mode": "delta", "cameras": []}
    body.update(overrides)
    return body


def observation(args, step, images=None, episode=0):
    return {"episode": episode, "step": step, "state": ndarray(np.zeros(args.state_dim, np.float32)), "images": images or {},
            "task_index": 0, "instruction": None, "success": False, "done": False}


def chunk_for(peer, seq, timeout_s=3.0):
    return peer.receive(timeout_s, lambda e: e["type"] == "action_chunk" and e["body"]["obs_seq"] == seq)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--connect", required=True)
    p.add_argument("--state-dim", type=int, required=True)
    p.add_argument("--action-dim", type=int, required=True)
    p.add_argument("--server-key")
    p.add_argument("--robot-key")
    p.add_argument("--operator-key")
    args = p.parse_args()

    # Before hello: nothing but a hello is read; answers carry ref_seq; big frames are dropped unread.
    robot = Peer(args, args.robot_key)
    robot.send("observation", observation(args, 0), seq=7)
    e = robot.error()
    check("non-hello before hello -> unauthorized with ref_seq", e and e["code"] == "unauthorized" and e["ref_seq"] == 7, e)
    robot.send_raw(b"\x00" * (100 * 1024))
    e = robot.error()
    check("100 KiB frame before hello -> too_large", e and e["code"] == "too_large", e)

    bad = Peer(args, args.robot_key)
    bad.send("hello", {k: v for k, v in robot_hello(args).items() if k != "cameras"}, seq=3)
    e = bad.error()
    check("robot hello without cameras -> missing_field naming body.cameras", e and e["code"] == "missing_field" and "body.cameras" in e["message"] and e["ref_seq"] == 3, e)
    bad.close()

    robot.send("hello", robot_hello(args), seq=10)
    w = robot.receive(3.0, lambda e: e["type"] == "status")
    check("hello -> welcome", w and w["body"]["state"] == "welcome", w)
    check("host seq per connection starts at 1 and increases", robot.host_seqs[:1] == [1] and robot.host_seqs == sorted(set(robot.host_seqs)), robot.host_seqs)

    # Observations are answered once per fresh observation, addressed to the step.
    chunk = None
    for step_try in range(50):
        seq = robot.send("observation", observation(args, 0))
        chunk = chunk_for(robot, seq, 0.2)
        if chunk:
            break
    ok = chunk is not None
    check("observation -> action_chunk answering its seq", ok, chunk["body"] if ok else "no chunk in 10 s")
    if ok:
        a = chunk["body"]["actions"]
        check("action rows: <f4, [H, action_dim], first_step = step", a["dtype"] == "<f4" and a["shape"][1] == args.action_dim
              and len(a["data"]) == a["shape"][0] * a["shape"][1] * 4 and chunk["body"]["first_step"] == 0, a["shape"])

    stale = robot.seq
    robot.send("observation", observation(args, 0), seq=stale)
    e = robot.error()
    check("repeated seq -> invalid_value, not answered", e and e["code"] == "invalid_value" and e["ref_seq"] == stale
          and chunk_for(robot, stale, 0.3) is None, e)

    seq = robot.send("observation", observation(args, 0, images={"wrist": ndarray(np.zeros((2, 2, 3), np.uint8))}))
    e = robot.error()
    check("image from an undeclared camera -> invalid_value naming body.images.wrist", e and e["code"] == "invalid_value"
          and "body.images.wrist" in e["message"] and e["ref_seq"] == seq, e)

    seq = robot.send("command", {"command": "stop", "task_index": None, "instruction": None, "steps": None, "seed": None})
    e = robot.error()
    check("command from the robot -> forbidden, not applied", e and e["code"] == "forbidden" and e["ref_seq"] == seq, e)

    operator = Peer(args, args.operator_key, name="conformance-operator")
    operator.send("hello", {"role": "operator", "name": "conformance-operator", "action_dim": None, "state_dim": None,
                            "action_mode": None, "cameras": None})
    w = operator.receive(3.0, lambda e: e["type"] == "status")
    check("operator hello with nil arm fields -> welcome", w and w["body"]["state"] == "welcome", w)
    operator.send("command", {"command": "stop", "task_index": None, "instruction": None, "steps": None, "seed": None})
    s = operator.receive(3.0, lambda e: e["type"] in ("status", "error"))
    check("operator stop -> status Stopped", s and s["type"] == "status" and s["body"]["state"] == "Stopped", s)
    got_stop = robot.receive(3.0, lambda e: e["type"] == "command" and e["body"]["command"] == "stop")
    check("robot receives command stop", got_stop is not None)

    # A reconnecting robot does not lift the stop: it is told to hold and gets no actions.
    robot.close()
    robot = Peer(args, args.robot_key)
    robot.send("hello", robot_hello(args))
    got_stop = robot.receive(3.0, lambda e: e["type"] == "command" and e["body"]["command"] == "stop")
    check("stop is latched: a reconnected robot is told stop", got_stop is not None)
    moved = False
    deadline = time.monotonic() + 1.0
    while time.monotonic() < deadline:
        seq = robot.send("observation", observation(args, 0, episode=1))
        c = chunk_for(robot, seq, 0.1)
        moved |= c is not None and not c["body"]["backtrack"]
    check("stop is latched: no actions for 1 s after reconnecting", not moved)

    operator.send("command", {"command": "resume", "task_index": None, "instruction": None, "steps": None, "seed": None})
    s = operator.receive(3.0, lambda e: e["type"] in ("status", "error"))
    check("operator resume -> status Running", s and s["type"] == "status" and s["body"]["state"] == "Running", s)
    chunk = None
    deadline = time.monotonic() + 5.0
    while chunk is None and time.monotonic() < deadline:
        seq = robot.send("observation", observation(args, 0, episode=1))
        chunk = chunk_for(robot, seq, 0.2)
    check("after resume the robot gets actions again", chunk is not None)

    if args.server_key:
        impostor = Peer(args, args.operator_key, name="impostor")
        impostor.send("hello", robot_hello(args))
        e = impostor.error()
        check("operator key saying hello as robot -> unauthorized", e and e["code"] == "unauthorized", e)
        impostor.close()

    robot.close()
    operator.close()
    passed = sum(c["ok"] for c in CHECKS)
    print(json.dumps({"checks": CHECKS, "passed": passed, "failed": len(CHECKS) - passed}))
    return 0 if passed == len(CHECKS) else 1


if __name__ == "__main__":
    sys.exit(main())
