using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Robotics.Control.Chunks;
using Robotics.Control.Metrics;
using Robotics.Control.Monitoring;
using Robotics.Control.Options;
using Robotics.Control.Services;
using Robotics.Control.StateMachine;
using Robotics.Core.Policies;
using Robotics.Transport;

namespace Robotics.Control;

/// <summary>Registers the control host: options (validated at start), the robot link, inference and the control clock.</summary>
public static class ControlServiceCollectionExtensions
{
    public static IServiceCollection AddRoboticsControl(this IServiceCollection services, IConfiguration configuration,
        Func<IServiceProvider, IChunkPolicy> policyFactory)
    {
        services.AddOptions<ControlOptions>().Bind(configuration.GetSection(ControlOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<ControlOptions>, ControlOptionsValidator>();
        services.AddOptions<HostEndpointOptions>().Bind(configuration.GetSection(HostEndpointOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<HostEndpointOptions>, HostEndpointOptionsValidator>();

        services.AddSingleton<IChunkPolicy>(sp => policyFactory(sp));
        services.AddSingleton<ControlMetrics>();
        services.AddSingleton<ControlStateMachine>();
        services.AddSingleton(sp => new ChunkBuffer(ChunkMergeRules.Create(sp.GetRequiredService<IOptions<ControlOptions>>().Value)));
        services.AddSingleton(sp => FailureMonitors.Create(sp.GetRequiredService<IOptions<ControlOptions>>().Value));
        services.AddSingleton<RobotLink>();
        services.AddSingleton<InferenceService>();
        services.AddSingleton<ControlLoopService>();

        // Start order: transport, inference, clock. Stop order is the reverse, so the clock tells the robot to stop
        // while the transport is still up.
        services.AddHostedService<ObservationIntakeService>();
        services.AddHostedService(sp => sp.GetRequiredService<InferenceService>());
        services.AddHostedService(sp => sp.GetRequiredService<ControlLoopService>());
        return services;
    }
}
