using System.Runtime.InteropServices;
using Robotics.Sims.MuJoCo.Internal;

namespace Robotics.Sims.MuJoCo;

/// <summary>
/// A compiled MuJoCo model (mjModel). Immutable after loading, so one model can back many
/// <see cref="MuJoCoData"/> instances on different threads.
/// </summary>
public sealed unsafe class MuJoCoModel : IDisposable
{
    private readonly ModelHandle _handle;

    private MuJoCoModel(ModelHandle handle, string source)
    {
        _handle = handle;
        Source = source;
        int* sizes = stackalloc int[10];
        NativeMethods.rm_model_sizes(handle.DangerousGetHandle(), sizes);
        Nq = sizes[0]; Nv = sizes[1]; Nu = sizes[2]; Na = sizes[3];
        NBody = sizes[4]; NJoint = sizes[5]; NGeom = sizes[6]; NSite = sizes[7];
        NSensor = sizes[8]; NSensorData = sizes[9];
        Timestep = NativeMethods.rm_timestep(handle.DangerousGetHandle());
    }

    /// <summary>Where the model came from (a path, or a caller-given name for XML text), for messages.</summary>
    public string Source { get; }
    public int Nq { get; }
    public int Nv { get; }
    public int Nu { get; }
    public int Na { get; }
    public int NBody { get; }
    public int NJoint { get; }
    public int NGeom { get; }
    public int NSite { get; }
    public int NSensor { get; }
    public int NSensorData { get; }
    public double Timestep { get; }

    internal IntPtr Pointer
    {
        get
        {
            ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
            return _handle.DangerousGetHandle();
        }
    }

    /// <summary>Compiles an MJCF file; MuJoCo's own error text is in the exception.</summary>
    public static MuJoCoModel LoadXml(string path)
    {
        MuJoCoRuntime.EnsureInitialized();
        if (!File.Exists(path))
            throw new FileNotFoundException($"MJCF file '{path}' does not exist.", path);
        byte* err = stackalloc byte[ErrorBuffer.Size];
        IntPtr model = NativeMethods.rm_load_xml(Path.GetFullPath(path), err, ErrorBuffer.Size);
        if (model == IntPtr.Zero)
            throw new MuJoCoException($"MuJoCo could not load '{path}': {ErrorBuffer.Read(err)}");
        return new MuJoCoModel(new ModelHandle(model), path);
    }

    /// <summary>Compiles MJCF text held in memory; <paramref name="name"/> only labels error messages.</summary>
    public static MuJoCoModel LoadXmlString(string xml, string name = "<string>")
    {
        ArgumentNullException.ThrowIfNull(xml);
        MuJoCoRuntime.EnsureInitialized();
        byte* err = stackalloc byte[ErrorBuffer.Size];
        IntPtr model = NativeMethods.rm_load_xml_string(xml, err, ErrorBuffer.Size);
        if (model == IntPtr.Zero)
            throw new MuJoCoException($"MuJoCo could not load {name}: {ErrorBuffer.Read(err)}");
        return new MuJoCoModel(new ModelHandle(model), name);
    }

    /// <summary>Object id by name, or -1 when absent.</summary>
    public int TryGetId(MuJoCoObjectType type, string name) => NativeMethods.rm_name2id(Pointer, (int)type, name);

    /// <summary>Object id by name; throws naming the object and model when absent.</summary>
    public int GetId(MuJoCoObjectType type, string name)
    {
        int id = TryGetId(type, name);
        return id >= 0 ? id : throw new KeyNotFoundException($"Model {Source} has no {type.ToString().ToLowerInvariant()} named '{name}'.");
    }

    public string? GetName(MuJoCoObjectType type, int id) => Marshal.PtrToStringUTF8(NativeMethods.rm_id2name(Pointer, (int)type, id));

    public int JointQposAddress(int joint) => NativeMethods.rm_jnt_qposadr(Pointer, CheckIndex(joint, NJoint, "joint"));
    public int JointDofAddress(int joint) => NativeMethods.rm_jnt_dofadr(Pointer, CheckIndex(joint, NJoint, "joint"));
    public int GeomBody(int geom) => NativeMethods.rm_geom_bodyid(Pointer, CheckIndex(geom, NGeom, "geom"));
    public int SensorAddress(int sensor) => NativeMethods.rm_sensor_adr(Pointer, CheckIndex(sensor, NSensor, "sensor"));
    public int SensorDimension(int sensor) => NativeMethods.rm_sensor_dim(Pointer, CheckIndex(sensor, NSensor, "sensor"));

    /// <summary>Control range of an actuator, or null when it is not ctrllimited.</summary>
    public (double Low, double High)? ActuatorControlRange(int actuator)
    {
        CheckIndex(actuator, Nu, "actuator");
        if (NativeMethods.rm_actuator_ctrllimited(Pointer)[actuator] == 0)
            return null;
        double* range = NativeMethods.rm_actuator_ctrlrange(Pointer);
        return (range[2 * actuator], range[2 * actuator + 1]);
    }

    /// <summary>First gear coefficient of an actuator.</summary>
    public double ActuatorGear(int actuator) => NativeMethods.rm_actuator_gear(Pointer)[6 * CheckIndex(actuator, Nu, "actuator")];

    /// <summary>Site positions in the body frame (nsite x 3), writable: moving a marker needs no recompile.</summary>
    public Span<double> SitePositions => new(NativeMethods.rm_site_pos(Pointer), 3 * NSite);

    public MuJoCoData CreateData() => new(this);

    public void Dispose() => _handle.Dispose();

    private int CheckIndex(int index, int count, string kind) =>
        (uint)index < (uint)count ? index : throw new ArgumentOutOfRangeException(nameof(index), index, $"Model {Source} has {count} {kind}s.");
}
