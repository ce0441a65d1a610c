"""A pre-authentication flood against a control host, for `robotics bench flood` (pyzmq: an independent attacker).

  zmq_flood.py ENDPOINT --connections 2 --size-mib 15 --seconds 10 [--server-key Z85]

Each connection is its own DEALER on its own thread sending the same random frame of SIZE MiB as fast as the
host takes it, without ever saying hello. With --server-key, even-numbered connections try CURVE with a fresh key
that is on no allowlist and odd-numbered ones try plaintext (both must be refused during the handshake).
Prints one JSON line: frames handed to libzmq per connection.
"""
import argparse
import json
import os
import threading
import time

import zmq


def flood(endpoint, index, frame, seconds, server_key, counts):
    context = zmq.Context()
    socket = context.socket(zmq.DEALER)
    socket.setsockopt(zmq.LINGER, 0)
    socket.setsockopt(zmq.SNDHWM, 2)
    socket.setsockopt(zmq.SNDTIMEO, 100)
    socket.setsockopt(zmq.RECONNECT_IVL, 10)
    if server_key and index % 2 == 0:
        public, secret = zmq.curve_keypair()
        socket.curve_serverkey = server_key.encode()
        socket.curve_publickey = public
        socket.curve_secretkey = secret
    socket.connect(endpoint)
    deadline = time.monotonic() + seconds
    sent = 0
    while time.monotonic() < deadline:
        try:
            socket.send(frame, copy=False)
            sent += 1
        except zmq.Again:
            pass
        # Replies (too_large / unauthorized) are never read, as a careless attacker would.
    counts[index] = sent
    socket.close(0)
    context.term()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("endpoint")
    parser.add_argument("--connections", type=int, default=2)
    parser.add_argument("--size-mib", type=float, default=15)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--server-key")
    args = parser.parse_args()
    frame = os.urandom(int(args.size_mib * 1024 * 1024))
    counts = [0] * args.connections
    threads = [threading.Thread(target=flood, args=(args.endpoint, i, frame, args.seconds, args.server_key, counts))
               for i in range(args.connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print(json.dumps({"frames": counts, "size_bytes": len(frame)}))


if __name__ == "__main__":
    main()
