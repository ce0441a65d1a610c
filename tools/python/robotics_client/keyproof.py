"""The hello proof of PROTOCOL.md ("Authentication"): HMAC-SHA256 keyed by SHA-256(X25519(c, S)).

Uses the `cryptography` package when present, else a small RFC 7748 X25519 (one call per connection, speed is moot).
"""
import hashlib
import hmac

from zmq.utils import z85

_P = 2 ** 255 - 19
_A24 = 121665


def _x25519(scalar: bytes, point: bytes) -> bytes:
    k = bytearray(scalar)
    k[0] &= 248
    k[31] &= 127
    k[31] |= 64
    k = int.from_bytes(k, "little")
    u = int.from_bytes(point, "little") & ((1 << 255) - 1)
    x1, x2, z2, x3, z3, swap = u, 1, 0, u, 1, 0
    for t in reversed(range(255)):
        bit = (k >> t) & 1
        swap ^= bit
        if swap:
            x2, x3, z2, z3 = x3, x2, z3, z2
        swap = bit
        a, b = (x2 + z2) % _P, (x2 - z2) % _P
        aa, bb = a * a % _P, b * b % _P
        e = (aa - bb) % _P
        c, d = (x3 + z3) % _P, (x3 - z3) % _P
        da, cb = d * a % _P, c * b % _P
        x3, z3 = (da + cb) ** 2 % _P, x1 * (da - cb) ** 2 % _P
        x2, z2 = aa * bb % _P, e * (aa + _A24 * e) % _P
    if swap:
        x2, z2 = x3, z3
    return (x2 * pow(z2, _P - 2, _P) % _P).to_bytes(32, "little")


def shared_secret(secret_z85: bytes, peer_public_z85: bytes) -> bytes:
    secret, public = z85.decode(secret_z85), z85.decode(peer_public_z85)
    try:
        from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
        point = X25519PrivateKey.from_private_bytes(secret).exchange(X25519PublicKey.from_public_bytes(public))
    except ImportError:
        point = _x25519(secret, public)
    return point


def hello_proof(client_public_z85: bytes, client_secret_z85: bytes, server_public_z85: bytes) -> bytes:
    key = hashlib.sha256(shared_secret(client_secret_z85, server_public_z85)).digest()
    message = b"robotics-hello-v1|" + client_public_z85 + b"|" + server_public_z85
    return hmac.new(key, message, hashlib.sha256).digest()
