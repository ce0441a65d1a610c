namespace Robotics.Sims.MuJoCo;

/// <summary>One active contact: the two geom ids, signed distance (negative = penetration), point and normal.</summary>
public readonly record struct MuJoCoContact(int Geom1, int Geom2, double Distance, (double X, double Y, double Z) Position, (double X, double Y, double Z) Normal);
