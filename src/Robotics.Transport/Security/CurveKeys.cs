namespace Robotics.Transport.Security;

/// <summary>
/// Z85 key text to bytes (ZeroMQ RFC 32), and the check that a public key is a usable X25519 point: the
/// low-order points (libsodium's blocklist) give every peer the same shared secret, so they are refused.
/// </summary>
public static class CurveKeys
{
    private const string Alphabet = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#";

    // X25519 points of order 1, 2, 4 and 8, and p-1, p, p+1 (compared without the top bit, as libsodium does).
    private static readonly byte[][] LowOrder =
    [
        new byte[32],
        [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
        [0xe0, 0xeb, 0x7a, 0x7c, 0x3b, 0x41, 0xb8, 0xae, 0x16, 0x56, 0xe3, 0xfa, 0xf1, 0x9f, 0xc4, 0x6a,
         0xda, 0x09, 0x8d, 0xeb, 0x9c, 0x32, 0xb1, 0xfd, 0x86, 0x62, 0x05, 0x16, 0x5f, 0x49, 0xb8, 0x00],
        [0x5f, 0x9c, 0x95, 0xbc, 0xa3, 0x50, 0x8c, 0x24, 0xb1, 0xd0, 0xb1, 0x55, 0x9c, 0x83, 0xef, 0x5b,
         0x04, 0x44, 0x5c, 0xc4, 0x58, 0x1c, 0x8e, 0x86, 0xd8, 0x22, 0x4e, 0xdd, 0xd0, 0x9f, 0x11, 0x57],
        [0xec, .. Enumerable.Repeat((byte)0xff, 30), 0x7f],
        [0xed, .. Enumerable.Repeat((byte)0xff, 30), 0x7f],
        [0xee, .. Enumerable.Repeat((byte)0xff, 30), 0x7f],
    ];

    /// <summary>Decodes a 40-character Z85 key; the exception names <paramref name="what"/> and the bad character.</summary>
    public static byte[] Decode(string z85, string what = "key")
    {
        if (z85 is null || z85.Length != 40)
            throw new FormatException($"{what}: a CurveZMQ key is 40 Z85 characters, got {z85?.Length ?? 0}");
        var bytes = new byte[32];
        for (int block = 0; block < 8; block++)
        {
            ulong value = 0;
            for (int i = 0; i < 5; i++)
            {
                int digit = Alphabet.IndexOf(z85[block * 5 + i], StringComparison.Ordinal);
                if (digit < 0)
                    throw new FormatException($"{what}: '{z85[block * 5 + i]}' at position {block * 5 + i} is not a Z85 character");
                value = value * 85 + (ulong)digit;
            }

            if (value > uint.MaxValue)
                throw new FormatException($"{what}: characters {block * 5}..{block * 5 + 4} do not encode 4 bytes");
            for (int i = 0; i < 4; i++)
                bytes[block * 4 + i] = (byte)(value >> (24 - 8 * i));
        }

        return bytes;
    }

    public static string Encode(ReadOnlySpan<byte> key)
    {
        if (key.Length != 32)
            throw new ArgumentException($"a CurveZMQ key is 32 bytes, got {key.Length}", nameof(key));
        var text = new char[40];
        for (int block = 0; block < 8; block++)
        {
            uint value = (uint)(key[block * 4] << 24 | key[block * 4 + 1] << 16 | key[block * 4 + 2] << 8 | key[block * 4 + 3]);
            for (int i = 4; i >= 0; i--)
            {
                text[block * 5 + i] = Alphabet[(int)(value % 85)];
                value /= 85;
            }
        }

        return new string(text);
    }

    /// <summary>True for public keys no honest key pair produces (all-zero and the other low-order points).</summary>
    public static bool IsLowOrder(ReadOnlySpan<byte> publicKey)
    {
        foreach (var bad in LowOrder)
        {
            int diff = (publicKey[31] & 0x7f) ^ bad[31];
            for (int i = 0; i < 31; i++)
                diff |= publicKey[i] ^ bad[i];
            if (diff == 0)
                return true;
        }

        return false;
    }

    /// <summary>Why <paramref name="z85"/> cannot be an allowed public key, or null when it can.</summary>
    public static string? Problem(string z85)
    {
        try
        {
            return IsLowOrder(Decode(z85)) ? "is a low-order X25519 point (e.g. all zeros), which no real key pair has" : null;
        }
        catch (FormatException e)
        {
            return e.Message;
        }
    }
}
