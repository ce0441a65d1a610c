using Robotics.Torch;

namespace Robotics.Detectors.Torch.Tests;

/// <summary>Brings TorchSharp up once (with the Debian 12 native fix) before any test touches a tensor.</summary>
public sealed class TorchFixture
{
    public TorchFixture()
    {
        // One thread: the suite shares two cores with other test projects running beside it.
        TorchRuntime.Initialize(new TorchRuntimeOptions { Threads = 1 });
    }
}

[CollectionDefinition(Name)]
public sealed class TorchCollection : ICollectionFixture<TorchFixture>
{
    public const string Name = "torch";
}
