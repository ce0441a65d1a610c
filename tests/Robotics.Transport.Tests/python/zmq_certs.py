"""Independent check of certificate files and of the hello proof, with pyzmq + cryptography.

create DIR NAME        -> zmq.auth.create_certificates(DIR, NAME); prints the public key
load FILE              -> prints "PUBLIC SECRET" as zmq.auth.load_certificate reads them
proof CLIENT_SECRET_FILE SERVER_PUBLIC -> prints the hex proof computed as PROTOCOL.md describes
"""
import hashlib
import hmac
import sys

import zmq.auth
from zmq.utils import z85


def proof(client_secret_file, server_public):
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
    public, secret = zmq.auth.load_certificate(client_secret_file)
    shared = X25519PrivateKey.from_private_bytes(z85.decode(secret)).exchange(
        X25519PublicKey.from_public_bytes(z85.decode(server_public.encode())))
    message = b"robotics-hello-v1|" + public + b"|" + server_public.encode()
    return hmac.new(hashlib.sha256(shared).digest(), message, hashlib.sha256).hexdigest()


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "create":
        pub, _ = zmq.auth.create_certificates(sys.argv[2], sys.argv[3])
        print(zmq.auth.load_certificate(pub)[0].decode())
    elif cmd == "load":
        public, secret = zmq.auth.load_certificate(sys.argv[2])
        print(public.decode(), (secret or b"-").decode())
    elif cmd == "proof":
        print(proof(sys.argv[2], sys.argv[3]))
