using Robotics.Torch.Native;
using TorchSharp;
using static TorchSharp.torch;

namespace Robotics.Torch.Tests;

public sealed class TorchRuntimeTests
{
    [Fact]
    public void Initialize_LoadsNativeBackendAndReportsIt()
    {
        var info = TorchRuntime.Initialize();

        Assert.Equal("0.107.0", info.TorchSharpVersion);
        Assert.Equal("2.10.0", info.LibTorchVersion);
        Assert.True(info.Threads >= 1);
        // The fix is applied exactly when the system libstdc++ lacks the version node.
        Assert.Equal(!LibStdCxxProbe.HasVersion(TorchRuntime.RequiredLibStdCxxVersion), info.NativeFixNeeded);
        Assert.Equal(info.NativeFixNeeded, info.PatchedLibraryPath is not null);
    }

    [Fact]
    public void TinyModel_TrainedWithAdamW_LossDecreases()
    {
        TorchRuntime.Initialize();
        TorchRuntime.Seed(7);
        using var scope = NewDisposeScope();

        // y = 3x - 1 plus a little noise: a linear layer must fit it.
        var x = rand(256, 1);
        var y = 3 * x - 1 + 0.01 * randn(256, 1);
        var model = nn.Sequential(nn.Linear(1, 16), nn.Tanh(), nn.Linear(16, 1));
        var optimizer = optim.AdamW(model.parameters(), lr: 0.01);

        float first = 0, last = 0;
        for (int step = 0; step < 200; step++)
        {
            using var stepScope = NewDisposeScope();
            optimizer.zero_grad();
            var loss = nn.functional.mse_loss(model.call(x), y);
            loss.backward();
            optimizer.step();
            float value = loss.item<float>();
            if (step == 0) first = value;
            last = value;
        }

        Assert.True(last < first * 0.05f, $"loss went from {first} to {last}");
        Assert.True(last < 0.01f, $"final loss {last}");
    }

    [Fact]
    public void Seed_MakesRandomTensorsRepeat()
    {
        TorchRuntime.Seed(123);
        using var a = randn(8);
        TorchRuntime.Seed(123);
        using var b = randn(8);
        TorchRuntime.Seed(124);
        using var c = randn(8);

        Assert.True(a.allclose(b, 0, 0));
        Assert.False(a.allclose(c, 0, 0));
    }

    [Fact]
    public void ResolveDevice_CpuAndAuto_WorkWithoutCuda()
    {
        var info = TorchRuntime.Initialize();
        Assert.Equal(DeviceType.CPU, TorchRuntime.ResolveDevice("cpu").type);
        var auto = TorchRuntime.ResolveDevice("auto");
        Assert.Equal(info.CudaAvailable ? DeviceType.CUDA : DeviceType.CPU, auto.type);
    }

    [Fact]
    public void ResolveDevice_CudaWhenAbsent_ExplainsWhy()
    {
        var info = TorchRuntime.Initialize();
        if (info.CudaAvailable)
        {
            var error = Assert.Throws<DeviceUnavailableException>(() => TorchRuntime.ResolveDevice($"cuda:{info.CudaDeviceCount}"));
            Assert.Contains($"only {info.CudaDeviceCount} CUDA device", error.Message);
        }
        else
        {
            var error = Assert.Throws<DeviceUnavailableException>(() => TorchRuntime.ResolveDevice("cuda:0"));
            Assert.Contains("cuda:0", error.Message);
            Assert.Contains("--device cpu", error.Message);
        }
    }

    [Fact]
    public void Initialize_WithThreads_SetsThreadCount()
    {
        var info = TorchRuntime.Initialize(new TorchRuntimeOptions { Threads = 1 });
        Assert.Equal(1, info.Threads);
        Assert.Equal(1, torch.get_num_threads());
        TorchRuntime.Initialize(new TorchRuntimeOptions { Threads = Environment.ProcessorCount });
        Assert.Equal(Environment.ProcessorCount, torch.get_num_threads());
    }
}
