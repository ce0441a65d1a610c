using Robotics.Policies.Nn;

namespace Robotics.Policies.Tests.Nn;

public sealed class NgramHasherTests
{
    [Fact]
    public void Hashes_are_stable_across_processes_and_share_grams_between_related_instructions()
    {
        var hasher = new NgramHasher(4096);
        var a = hasher.Hash("Push the red block to the left");
        // FNV-1a is fixed, so ids are the same in every process (string.GetHashCode is randomised per process).
        Assert.Equal(a, new NgramHasher(4096).Hash("push the RED block, to the left!"));
        var related = hasher.Hash("push the blue block to the left");
        var unrelated = hasher.Hash("open drawer");
        double Overlap(long[] x, long[] y) => x.Intersect(y).Count() / (double)x.Union(y).Count();
        Assert.True(Overlap(a, related) > 0.5);
        Assert.True(Overlap(a, unrelated) < 0.1);
        Assert.Empty(hasher.Hash(null));
        Assert.All(a, id => Assert.InRange(id, 0, 4095));
    }
}
