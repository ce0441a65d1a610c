using System.Text;
using Robotics.Transport.Native;

namespace Robotics.Transport.Security;

/// <summary>A CurveZMQ key pair as Z85 text (40 characters each), the form pyzmq and libzmq use.</summary>
public sealed record CurveKeyPair(string PublicKey, string? SecretKey)
{
    public static unsafe CurveKeyPair Generate()
    {
        LibZmqInfo.EnsureLoaded();
        byte* publicKey = stackalloc byte[41];
        byte* secretKey = stackalloc byte[41];
        if (LibZmq.CurveKeypair(publicKey, secretKey) != 0)
            throw new ZmqException($"zmq_curve_keypair failed (is libzmq built with CURVE?): {LibZmq.LastError()}");
        return new CurveKeyPair(Encoding.ASCII.GetString(publicKey, 40), Encoding.ASCII.GetString(secretKey, 40));
    }

    public static unsafe CurveKeyPair FromSecretKey(string secretKeyZ85)
    {
        CurveKeys.Decode(secretKeyZ85, "secret key");
        LibZmqInfo.EnsureLoaded();
        byte* publicKey = stackalloc byte[41];
        byte[] secret = Encoding.ASCII.GetBytes(secretKeyZ85 + "\0");
        fixed (byte* s = secret)
        {
            if (LibZmq.CurvePublic(publicKey, s) != 0)
                throw new ZmqException($"zmq_curve_public failed: {LibZmq.LastError()}");
        }

        return new CurveKeyPair(Encoding.ASCII.GetString(publicKey, 40), secretKeyZ85);
    }
}
