using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Robotics.Sims.MuJoCo.Internal;

namespace Robotics.Sims.MuJoCo;

/// <summary>
/// Simulation state (mjData) of one <see cref="MuJoCoModel"/>. Not thread-safe: one instance per
/// thread. The spans alias native memory and stay valid until Dispose.
/// </summary>
[SkipLocalsInit]
public sealed unsafe class MuJoCoData : IDisposable
{
    private const int WarningKinds = 8;
    private readonly DataHandle _handle;
    private readonly int[] _warningBaseline = new int[WarningKinds];

    // mjData's arrays are allocated once in mj_makeData and never move, so their addresses are read
    // once here; spans over them then cost no native call per access.
    private readonly double* _qpos, _qvel, _qacc, _ctrl, _act, _qfrcApplied, _xpos, _xquat, _siteXpos, _sensordata;

    internal MuJoCoData(MuJoCoModel model)
    {
        Model = model;
        byte* err = stackalloc byte[ErrorBuffer.Size];
        IntPtr data = NativeMethods.rm_make_data(model.Pointer, err, ErrorBuffer.Size);
        if (data == IntPtr.Zero)
            throw new MuJoCoException($"MuJoCo could not allocate data for {model.Source}: {ErrorBuffer.Read(err)}");
        _handle = new DataHandle(data);
        if (NativeMethods.rm_nwarning() != WarningKinds)
            throw new MuJoCoException($"MuJoCo reports {NativeMethods.rm_nwarning()} warning kinds; this binding knows {WarningKinds}.");
        _qpos = NativeMethods.rm_qpos(data);
        _qvel = NativeMethods.rm_qvel(data);
        _qacc = NativeMethods.rm_qacc(data);
        _ctrl = NativeMethods.rm_ctrl(data);
        _act = NativeMethods.rm_act(data);
        _qfrcApplied = NativeMethods.rm_qfrc_applied(data);
        _xpos = NativeMethods.rm_xpos(data);
        _xquat = NativeMethods.rm_xquat(data);
        _siteXpos = NativeMethods.rm_site_xpos(data);
        _sensordata = NativeMethods.rm_sensordata(data);
    }

    public MuJoCoModel Model { get; }

    private IntPtr Pointer
    {
        get
        {
            ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
            return _handle.DangerousGetHandle();
        }
    }

    public double Time
    {
        get => NativeMethods.rm_time(Pointer);
        set => NativeMethods.rm_set_time(Pointer, value);
    }

    public Span<double> Qpos => new(Live(_qpos), Model.Nq);
    public Span<double> Qvel => new(Live(_qvel), Model.Nv);
    public Span<double> Qacc => new(Live(_qacc), Model.Nv);
    public Span<double> Ctrl => new(Live(_ctrl), Model.Nu);
    public Span<double> Act => new(Live(_act), Model.Na);
    public Span<double> QfrcApplied => new(Live(_qfrcApplied), Model.Nv);
    public ReadOnlySpan<double> SensorData => new(Live(_sensordata), Model.NSensorData);

    /// <summary>World position of a body (valid after Step or Forward).</summary>
    public ReadOnlySpan<double> BodyPosition(int body) => new(Live(_xpos) + 3 * CheckBody(body), 3);

    /// <summary>World orientation quaternion (w, x, y, z) of a body.</summary>
    public ReadOnlySpan<double> BodyQuaternion(int body) => new(Live(_xquat) + 4 * CheckBody(body), 4);

    public ReadOnlySpan<double> SitePosition(int site)
    {
        if ((uint)site >= (uint)Model.NSite)
            throw new ArgumentOutOfRangeException(nameof(site), site, $"Model {Model.Source} has {Model.NSite} sites.");
        return new(Live(_siteXpos) + 3 * site, 3);
    }

    public int ContactCount => NativeMethods.rm_ncon(Pointer);

    public MuJoCoContact Contact(int index)
    {
        int* geoms = stackalloc int[2];
        double dist;
        double* pos = stackalloc double[3];
        double* normal = stackalloc double[3];
        if (NativeMethods.rm_contact(Pointer, index, geoms, &dist, pos, normal) != 0)
            throw new ArgumentOutOfRangeException(nameof(index), index, $"There are {ContactCount} active contacts.");
        return new MuJoCoContact(geoms[0], geoms[1], dist, (pos[0], pos[1], pos[2]), (normal[0], normal[1], normal[2]));
    }

    public IReadOnlyList<MuJoCoContact> Contacts()
    {
        int n = ContactCount;
        var list = new List<MuJoCoContact>(n);
        for (int i = 0; i < n; i++)
            list.Add(Contact(i));
        return list;
    }

    /// <summary>Advances <paramref name="steps"/> physics steps (one native call).</summary>
    public void Step(int steps = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(steps);
        byte* err = stackalloc byte[ErrorBuffer.Size];
        if (NativeMethods.rm_step(Model.Pointer, Pointer, steps, err, ErrorBuffer.Size) != 0)
            throw Failed("mj_step", err);
    }

    public void Forward()
    {
        byte* err = stackalloc byte[ErrorBuffer.Size];
        if (NativeMethods.rm_forward(Model.Pointer, Pointer, err, ErrorBuffer.Size) != 0)
            throw Failed("mj_forward", err);
    }

    /// <summary>Back to the model's default state (qpos0, zero velocity, time 0, warnings cleared).</summary>
    public void Reset()
    {
        byte* err = stackalloc byte[ErrorBuffer.Size];
        if (NativeMethods.rm_reset(Model.Pointer, Pointer, err, ErrorBuffer.Size) != 0)
            throw Failed("mj_resetData", err);
        Array.Clear(_warningBaseline);
    }

    /// <summary>Copies the full state of <paramref name="source"/> (same model) into this instance.</summary>
    public void CopyFrom(MuJoCoData source)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (!ReferenceEquals(source.Model, Model))
            throw new ArgumentException("Data can only be copied between instances of the same model.", nameof(source));
        byte* err = stackalloc byte[ErrorBuffer.Size];
        if (NativeMethods.rm_copy_data(Model.Pointer, Pointer, source.Pointer, err, ErrorBuffer.Size) != 0)
            throw Failed("mj_copyData", err);
        source._warningBaseline.CopyTo(_warningBaseline, 0);
    }

    /// <summary>How many times MuJoCo raised <paramref name="warning"/> since the last reset.</summary>
    public int WarningCount(MuJoCoWarning warning) => NativeMethods.rm_warning_number(Pointer, (int)warning);

    /// <summary>
    /// Warnings raised since the previous call (kind and count), so environments can surface them in
    /// each step's info instead of swallowing them.
    /// </summary>
    public IReadOnlyList<(MuJoCoWarning Kind, int Count)> TakeNewWarnings()
    {
        int* now = stackalloc int[WarningKinds];
        NativeMethods.rm_warning_numbers(Pointer, now);
        List<(MuJoCoWarning, int)>? fresh = null;
        for (int i = 0; i < WarningKinds; i++)
        {
            if (now[i] != _warningBaseline[i])
            {
                (fresh ??= []).Add(((MuJoCoWarning)i, now[i] - _warningBaseline[i]));
                _warningBaseline[i] = now[i];
            }
        }

        return fresh ?? (IReadOnlyList<(MuJoCoWarning, int)>)[];
    }

    /// <summary>The last warning text MuJoCo printed on the calling thread (empty when none).</summary>
    public static string LastWarningText => Marshal.PtrToStringUTF8(NativeMethods.rm_thread_last_warning()) ?? "";

    public void Dispose() => _handle.Dispose();

    private double* Live(double* pointer)
    {
        ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
        return pointer;
    }

    private int CheckBody(int body) =>
        (uint)body < (uint)Model.NBody ? body : throw new ArgumentOutOfRangeException(nameof(body), body, $"Model {Model.Source} has {Model.NBody} bodies.");

    private MuJoCoException Failed(string call, byte* err)
    {
        string message = ErrorBuffer.Read(err);
        // The jump out of MuJoCo left its stack mid-call; reset so the instance is usable again.
        byte* ignored = stackalloc byte[ErrorBuffer.Size];
        NativeMethods.rm_reset(Model.Pointer, Pointer, ignored, ErrorBuffer.Size);
        return new MuJoCoException($"{call} failed for {Model.Source} (state reset): {message}");
    }
}
