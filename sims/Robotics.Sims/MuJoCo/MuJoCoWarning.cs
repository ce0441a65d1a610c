namespace Robotics.Sims.MuJoCo;

/// <summary>MuJoCo's mjtWarning kinds, in header order (the index into mjData.warning).</summary>
public enum MuJoCoWarning
{
    Inertia = 0,
    ContactFull,
    ConstraintFull,
    VisualGeomFull,
    BadQpos,
    BadQvel,
    BadQacc,
    BadCtrl,
}
