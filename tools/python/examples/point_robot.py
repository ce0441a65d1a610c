"""Example robot-side bridge: a 2-D point robot driven by the control host through robotics_client.

The "hardware" is a point moved by delta actions (position += 0.1 * action); state is [x, y, target x, target y]
and an episode succeeds when the point is within 0.05 of its task's target. Replace PointRobot with calls into a
real arm's driver; the protocol handling below stays the same.

  /usr/bin/python3 tools/python/examples/point_robot.py --connect tcp://127.0.0.1:5555 --episodes 2
"""
import argparse
import json
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from robotics_client import RobotClient  # noqa: E402

TARGETS = [(0.5, 0.0), (0.0, -0.5), (-0.4, 0.3)]


class PointRobot:
    def __init__(self, task):
        self.task = task
        self.position = np.zeros(2, dtype=np.float32)
        self.steps = 0

    def state(self):
        return np.array([*self.position, *TARGETS[self.task]], dtype=np.float32)

    def success(self):
        return bool(np.all(np.abs(self.position - np.array(TARGETS[self.task], dtype=np.float32)) < 0.05))

    def apply(self, action):
        self.position += np.float32(0.1) * np.asarray(action, dtype=np.float32)
        self.steps += 1

    def hold(self):
        pass  # a real arm engages its brakes / holds position here


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--connect", default="tcp://127.0.0.1:5555")
    parser.add_argument("--episodes", type=int, default=2)
    parser.add_argument("--max-steps", type=int, default=60)
    parser.add_argument("--server-key")
    parser.add_argument("--client-key")
    parser.add_argument("--hold-timeout", type=float, default=1.0)
    parser.add_argument("--timeout", type=float, default=60.0)
    parser.add_argument("--welcome-timeout", type=float, default=10.0)
    args = parser.parse_args()

    client = RobotClient(args.connect, "python-point-robot", state_dim=4, action_dim=2,
                         server_key_file=args.server_key, client_key_file=args.client_key)
    if not client.wait_welcomed(args.welcome_timeout):
        print(json.dumps({"error": "not welcomed", "errors": client.errors}))
        return 2

    results = []
    episode, stopped = 0, False
    robot = PointRobot(task=0)
    last_action = last_send = time.monotonic()
    deadline = time.monotonic() + args.timeout

    def report():
        nonlocal last_send
        last_send = time.monotonic()
        done = robot.success() or robot.steps >= args.max_steps
        client.send_observation(episode, robot.steps, robot.state(), task_index=robot.task,
                                instruction=f"go to target {robot.task}", success=robot.success(), done=done)
        return done

    report()
    while len(results) < args.episodes and time.monotonic() < deadline:
        for kind, body in client.poll(10):
            if kind == "action_chunk":
                if body["episode"] != episode or body["first_step"] != robot.steps or robot.success() or robot.steps >= args.max_steps:
                    continue
                if stopped and not body["backtrack"]:
                    continue
                robot.apply(body["actions"][0])
                last_action = time.monotonic()
                if report():
                    results.append({"episode": episode, "task": robot.task, "steps": robot.steps, "success": robot.success()})
            elif kind == "command":
                command = body["command"]
                if command == "stop":
                    stopped = True
                    robot.hold()
                elif command in ("resume", "start"):
                    stopped = False
                elif command == "reset":
                    stopped = False
                    episode += 1
                    robot = PointRobot(task=episode % len(TARGETS))
                    last_action = time.monotonic()
                    report()
        if time.monotonic() - last_action > args.hold_timeout:
            robot.hold()  # actions stopped arriving: hold on our own
        if time.monotonic() - last_send > 0.1:
            report()  # keep the host's view fresh while waiting
    client.close()
    print(json.dumps({"episodes": results, "errors": client.errors}))
    return 0 if len(results) >= args.episodes else 1


if __name__ == "__main__":
    sys.exit(main())
