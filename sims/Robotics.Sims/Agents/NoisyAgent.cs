using Robotics.Core.Randomness;

namespace Robotics.Sims.Agents;

/// <summary>
/// Adds N(0, std) to every action element and clips to [-1, 1], as D4RL's noisy generation does;
/// the noise stream is reseeded on every Reset so episodes are reproducible.
/// </summary>
public sealed class NoisyAgent(IAgent inner, double std) : IAgent
{
    private Xoshiro256 _random = new(0);

    public IAgent Inner => inner;

    public void Reset(long seed)
    {
        inner.Reset(seed);
        _random = Xoshiro256.Derive(seed, 0x4E015E);
    }

    public float[] Act(float[] observation)
    {
        var action = inner.Act(observation);
        for (int i = 0; i < action.Length; i++)
            action[i] = (float)Math.Clamp(action[i] + _random.Normal() * std, -1.0, 1.0);
        return action;
    }
}
