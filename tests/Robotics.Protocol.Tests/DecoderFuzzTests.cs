using Robotics.Protocol.Codec;
using Robotics.Protocol.Tests.Fixtures;

namespace Robotics.Protocol.Tests;

/// <summary>
/// The decoder faces untrusted bytes: random buffers and valid messages with bytes flipped, inserted,
/// deleted or truncated must give a <see cref="ProtocolException"/> or a valid envelope, never anything else.
/// </summary>
public class DecoderFuzzTests
{
    [Fact]
    public void TwentyThousandRandomAndMutatedMessagesRaiseOnlyProtocolErrors()
    {
        var rng = new Random(20261126);
        var seeds = MessageSamples.All().Select(ProtocolCodec.Encode).ToArray();
        int decoded = 0, refused = 0;
        for (int i = 0; i < 20_000; i++)
        {
            byte[] input = i % 4 == 0 ? RandomBytes(rng) : Mutate(seeds[rng.Next(seeds.Length)], rng);
            try
            {
                ProtocolCodec.Decode(input, maxMessageBytes: 1 << 16);
                decoded++;
            }
            catch (ProtocolException)
            {
                refused++;
            }
            catch (Exception e)
            {
                Assert.Fail($"case {i}: unhandled {e.GetType().Name}: {e.Message}\ninput: {Convert.ToHexString(input)}");
            }
        }

        Assert.Equal(20_000, decoded + refused);
        // Mutations that keep a message valid exist (e.g. a flipped byte inside image data), and most do not.
        Assert.InRange(decoded, 1, 19_999);
    }

    private static byte[] RandomBytes(Random rng)
    {
        var bytes = new byte[rng.Next(0, 300)];
        rng.NextBytes(bytes);
        // Make about half of them start like a map, so the parser gets past the first byte.
        if (bytes.Length > 0 && rng.Next(2) == 0)
            bytes[0] = (byte)(0x80 | rng.Next(16));
        return bytes;
    }

    private static byte[] Mutate(byte[] seed, Random rng)
    {
        var bytes = seed.ToList();
        int edits = rng.Next(1, 5);
        for (int e = 0; e < edits && bytes.Count > 0; e++)
        {
            int at = rng.Next(bytes.Count);
            switch (rng.Next(5))
            {
                case 0: bytes[at] = (byte)rng.Next(256); break;
                case 1: bytes[at] ^= (byte)(1 << rng.Next(8)); break;
                case 2: bytes.Insert(at, (byte)rng.Next(256)); break;
                case 3: bytes.RemoveAt(at); break;
                default: bytes.RemoveRange(at, bytes.Count - at); break;
            }
        }

        return bytes.ToArray();
    }
}
