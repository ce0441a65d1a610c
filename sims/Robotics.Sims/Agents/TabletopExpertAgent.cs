using Robotics.Core.Randomness;
using Robotics.Sims.Tabletop;

namespace Robotics.Sims.Agents;

/// <summary>
/// The pushing expert as an agent (it reads only the observation). In the multimodal style each episode draws its
/// strategy from the episode seed, so an episode replays exactly; the strategy is reported per step for infos/.
/// </summary>
public sealed class TabletopExpertAgent(DemoStyle style = DemoStyle.Scripted) : IModalAgent
{
    private static readonly string[] ModeInfoNames = ["demo_mode", "demo_side", "demo_via", "demo_contact", "demo_speed", "demo_pausing"];

    public TabletopPushExpert Expert { get; } = new();

    public DemoStyle Style => style;

    public IReadOnlyList<string> InfoNames => style == DemoStyle.Multimodal ? ModeInfoNames : [];

    public void Reset(long seed) => Expert.Reset(style == DemoStyle.Multimodal ? TabletopExpertMode.Draw(Xoshiro256.Derive(seed, 0xDE30)) : null);

    public float[] Act(float[] observation) => Expert.Act(observation);

    public float[] StepInfo()
    {
        if (style != DemoStyle.Multimodal)
            return [];
        var m = Expert.Mode;
        return [m.Index, m.Side, m.HasVia ? 1f : 0f, (float)m.ContactLateral, (float)m.SpeedScale, Expert.Pausing ? 1f : 0f];
    }
}
