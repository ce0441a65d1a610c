namespace Robotics.Policies.Mode;

/// <summary>
/// UWM inference modes, chosen by which side is denoised and which is held at a fixed noise level:
/// Policy (future observation held at the noisiest level, actions denoised), ForwardDynamics (given actions held
/// clean, future observation denoised), InverseDynamics (given future observation held clean, actions
/// denoised), ObservationPrediction (actions held at the noisiest level, future observation denoised).
/// </summary>
public enum WorldModelMode
{
    Policy,
    ForwardDynamics,
    InverseDynamics,
    ObservationPrediction,
}
