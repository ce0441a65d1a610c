using NetMQ;

namespace Robotics.Transport.Security;

/// <summary>A CurveZMQ key pair as Z85 text (40 characters each), the form pyzmq and libzmq use.</summary>
public sealed record CurveKeyPair(string PublicKey, string? SecretKey)
{
    public static CurveKeyPair Generate()
    {
        var certificate = new NetMQCertificate();
        return new CurveKeyPair(certificate.PublicKeyZ85, certificate.SecretKeyZ85);
    }

    public static CurveKeyPair FromSecretKey(string secretKeyZ85)
    {
        var certificate = NetMQCertificate.CreateFromSecretKey(secretKeyZ85);
        return new CurveKeyPair(certificate.PublicKeyZ85, certificate.SecretKeyZ85);
    }

    public NetMQCertificate ToCertificate() => SecretKey is null
        ? throw new InvalidOperationException("this key pair holds only a public key")
        : new NetMQCertificate(SecretKey, PublicKey);
}
