using System.Text;

namespace Robotics.Policies.Nn;

/// <summary>
/// Turns an instruction into hashed n-gram bucket ids: words, word bigrams and character trigrams of each
/// word (with boundary marks), each hashed with 32-bit FNV-1a (stable across processes, unlike
/// string.GetHashCode) into <see cref="Buckets"/> buckets. An unseen instruction shares words and trigrams
/// with seen ones, so its learned embedding lands near theirs.
/// </summary>
public sealed class NgramHasher(int buckets)
{
    public int Buckets { get; } = buckets > 0 ? buckets : throw new ArgumentOutOfRangeException(nameof(buckets), buckets, "Need at least one hash bucket.");

    public long[] Hash(string? instruction)
    {
        if (string.IsNullOrWhiteSpace(instruction))
            return [];
        var words = Words(instruction);
        var ids = new List<long>();
        for (int i = 0; i < words.Count; i++)
        {
            ids.Add(Bucket("w:" + words[i]));
            if (i + 1 < words.Count)
                ids.Add(Bucket("b:" + words[i] + " " + words[i + 1]));
            string marked = "<" + words[i] + ">";
            for (int c = 0; c + 3 <= marked.Length; c++)
                ids.Add(Bucket("c:" + marked.Substring(c, 3)));
        }

        return ids.ToArray();
    }

    private static List<string> Words(string text)
    {
        var words = new List<string>();
        var current = new StringBuilder();
        foreach (char ch in text.ToLowerInvariant())
        {
            if (char.IsLetterOrDigit(ch))
            {
                current.Append(ch);
            }
            else if (current.Length > 0)
            {
                words.Add(current.ToString());
                current.Clear();
            }
        }

        if (current.Length > 0)
            words.Add(current.ToString());
        return words;
    }

    private long Bucket(string gram)
    {
        uint hash = 2166136261;
        foreach (byte b in Encoding.UTF8.GetBytes(gram))
        {
            hash ^= b;
            hash *= 16777619;
        }

        return hash % (uint)Buckets;
    }
}
