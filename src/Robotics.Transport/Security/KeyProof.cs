using System.Security.Cryptography;
using System.Text;
using NaCl;
using NetMQ;

namespace Robotics.Transport.Security;

/// <summary>
/// NetMQ 4.0.4.5 has no ZAP handler, so a CurveZMQ server accepts any client key. The allowlist is enforced one
/// level up: the hello carries the client's long-term public key C and
/// proof = HMAC-SHA256(key = SHA-256(X25519(c, S)), "robotics-hello-v1|" + Z85(C) + "|" + Z85(S)),
/// which only the holder of C's secret c (or the server's secret s) can compute. The Curve channel keeps it confidential.
/// </summary>
public static class KeyProof
{
    public static byte[] Create(CurveKeyPair client, string serverPublicKey)
    {
        byte[] shared = SharedSecret(NetMQCertificate.CreateFromSecretKey(client.SecretKey ?? throw new ArgumentException("the client key pair needs its secret key", nameof(client))).SecretKey!,
            NetMQCertificate.FromPublicKey(serverPublicKey).PublicKey);
        return Mac(shared, client.PublicKey, serverPublicKey);
    }

    public static bool Verify(CurveKeyPair server, string clientPublicKey, byte[]? proof)
    {
        if (proof is null || proof.Length != 32 || clientPublicKey.Length != 40)
            return false;
        byte[] clientKey;
        try
        {
            clientKey = NetMQCertificate.FromPublicKey(clientPublicKey).PublicKey;
        }
        catch (Exception e) when (e is ArgumentException or IndexOutOfRangeException or FormatException or InvalidOperationException)
        {
            return false;
        }

        byte[] shared = SharedSecret(NetMQCertificate.CreateFromSecretKey(server.SecretKey!).SecretKey!, clientKey);
        return CryptographicOperations.FixedTimeEquals(Mac(shared, clientPublicKey, server.PublicKey), proof);
    }

    private static byte[] SharedSecret(byte[] secret, byte[] peerPublic)
    {
        var point = new byte[32];
        Curve25519.ScalarMultiplication(point, secret, peerPublic);
        return SHA256.HashData(point);
    }

    private static byte[] Mac(byte[] key, string clientPublic, string serverPublic) =>
        HMACSHA256.HashData(key, Encoding.ASCII.GetBytes($"robotics-hello-v1|{clientPublic}|{serverPublic}"));
}
