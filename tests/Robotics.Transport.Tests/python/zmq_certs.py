"""Independent check of certificate files and Z85 keys, with pyzmq.

create DIR NAME        -> zmq.auth.create_certificates(DIR, NAME); prints the public key
load FILE              -> prints "PUBLIC SECRET" as zmq.auth.load_certificate reads them
z85 HEX                -> prints zmq.utils.z85.encode of the bytes
"""
import sys

import zmq.auth
from zmq.utils import z85


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "create":
        pub, _ = zmq.auth.create_certificates(sys.argv[2], sys.argv[3])
        print(zmq.auth.load_certificate(pub)[0].decode())
    elif cmd == "load":
        public, secret = zmq.auth.load_certificate(sys.argv[2])
        print(public.decode(), (secret or b"-").decode())
    elif cmd == "z85":
        print(z85.encode(bytes.fromhex(sys.argv[2])).decode())
