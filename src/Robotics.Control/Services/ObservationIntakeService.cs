using Microsoft.Extensions.Hosting;

namespace Robotics.Control.Services;

/// <summary>Owns the transport's lifetime: observations and commands are taken in on its thread as soon as the host starts.</summary>
public sealed class ObservationIntakeService(RobotLink link) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        link.Start();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
