using System.Runtime.InteropServices;

namespace Robotics.Sims.MuJoCo.Internal;

/// <summary>Owns an mjData*; freed exactly once, on Dispose or by the finalizer as a last resort.</summary>
internal sealed class DataHandle : SafeHandle
{
    public DataHandle(IntPtr pointer) : base(IntPtr.Zero, ownsHandle: true) => SetHandle(pointer);

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle()
    {
        NativeMethods.rm_free_data(handle);
        return true;
    }
}
