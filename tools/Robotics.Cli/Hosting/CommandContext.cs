using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace Robotics.Cli.Hosting;

/// <summary>What a command's action gets: layered configuration, logging, the console and cancellation.</summary>
public sealed class CommandContext(IConfiguration configuration, ILoggerFactory loggerFactory, IAnsiConsole console, CancellationToken cancellationToken)
{
    public IConfiguration Configuration { get; } = configuration;
    public ILoggerFactory LoggerFactory { get; } = loggerFactory;
    public IAnsiConsole Console { get; } = console;
    public CancellationToken CancellationToken { get; } = cancellationToken;

    public ILogger<T> Logger<T>() => LoggerFactory.CreateLogger<T>();

    /// <summary>
    /// Brings TorchSharp up from the "Torch" section (Torch:Device, Torch:Threads; a command's --device maps onto
    /// Torch:Device) and resolves the device: the one place every command reads them.
    /// </summary>
    public (Robotics.Torch.TorchRuntimeInfo Info, TorchSharp.torch.Device Device) StartTorch()
    {
        var options = Bind<Robotics.Torch.TorchRuntimeOptions>(Robotics.Torch.TorchRuntimeOptions.SectionName);
        var info = Robotics.Torch.TorchRuntime.Initialize(options);
        return (info, Robotics.Torch.TorchRuntime.ResolveDevice(options.Device));
    }

    /// <summary>Binds and returns the configuration section <paramref name="section"/> as <typeparamref name="T"/>.</summary>
    public T Bind<T>(string section) where T : new()
    {
        var value = new T();
        Configuration.GetSection(section).Bind(value);
        return value;
    }
}
