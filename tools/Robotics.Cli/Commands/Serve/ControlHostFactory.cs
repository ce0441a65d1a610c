using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Robotics.Control;
using Robotics.Core.Policies;

namespace Robotics.Cli.Commands.Serve;

/// <summary>The control host as `serve`, `bench loop` and `demo` run it: the command's configuration and logging, one policy.</summary>
public static class ControlHostFactory
{
    /// <param name="monitor">A learned failure monitor (SAFE) replacing the configured built-in one; null keeps Control:Monitor.</param>
    public static IHost Build(IConfiguration configuration, ILoggerFactory loggerFactory, IChunkPolicy policy, Robotics.Core.Monitoring.IFailureMonitor? monitor = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddConfiguration(configuration);
        // The CLI owns logging and Ctrl+C (its cancellation token stops the host), so no console lifetime here.
        builder.Services.AddSingleton(loggerFactory);
        builder.Services.AddRoboticsControl(builder.Configuration, _ => policy);
        if (monitor is not null)
            builder.Services.AddSingleton(monitor);
        return builder.Build();
    }
}
