namespace Robotics.Torch.Tests;

public sealed class TorchRuntimeConcurrencyTests
{
    [Fact]
    public async Task ConcurrentInitialize_InOneProcess_ReturnsOneConsistentRuntime()
    {
        using var start = new ManualResetEventSlim();
        var tasks = Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            start.Wait();
            return TorchRuntime.Initialize();
        })).ToArray();
        start.Set();
        var infos = await Task.WhenAll(tasks);

        Assert.All(infos, info => Assert.Equal(infos[0].PatchedLibraryPath, info.PatchedLibraryPath));
        Assert.All(infos, info => Assert.Equal(infos[0].TorchSharpVersion, info.TorchSharpVersion));
    }
}
