namespace Robotics.Sims.MuJoCo;

/// <summary>MuJoCo's mjtObj values for the object kinds this binding looks up by name.</summary>
public enum MuJoCoObjectType
{
    Body = 1,
    Joint = 3,
    Geom = 5,
    Site = 6,
    Actuator = 18,
    Sensor = 19,
}
