using System.Reflection;
using System.Runtime.InteropServices;

namespace Robotics.Distributed.Native;

/// <summary>
/// Open MPI's C API (Debian <c>libopenmpi3</c>, 4.1), called directly: TorchSharp has no torch.distributed, and the
/// few collectives data-parallel training needs (all-reduce of float buffers, broadcast, barrier) do not justify a
/// wrapper library. Handles such as MPI_COMM_WORLD, MPI_FLOAT and MPI_SUM are addresses of exported globals in Open MPI
/// (<c>&amp;ompi_mpi_comm_world</c>, ...), resolved once from the loaded library.
/// </summary>
internal static unsafe partial class LibMpi
{
    private const string Library = "libmpi";
    public const int Success = 0;

    private static readonly Lazy<IntPtr> Handle = new(() => LoadLibrary() ?? throw new DllNotFoundException(
        "Open MPI's libmpi.so.40 was not found: install it (Debian: apt-get install libopenmpi3 openmpi-bin; make deps does) and launch with mpirun."));

    static LibMpi() => NativeLibrary.SetDllImportResolver(typeof(LibMpi).Assembly, Resolve);

    public static IntPtr CommWorld => Symbol("ompi_mpi_comm_world");
    public static IntPtr Float => Symbol("ompi_mpi_float");
    public static IntPtr Double => Symbol("ompi_mpi_double");
    public static IntPtr Byte => Symbol("ompi_mpi_byte");
    public static IntPtr Sum => Symbol("ompi_mpi_op_sum");
    public static IntPtr Max => Symbol("ompi_mpi_op_max");

    private static IntPtr Symbol(string name) => NativeLibrary.GetExport(Handle.Value, name);

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? path) =>
        name == Library ? LoadLibrary() ?? IntPtr.Zero : IntPtr.Zero;

    private static IntPtr? LoadLibrary()
    {
        foreach (string candidate in new[] { "libmpi.so.40", "libmpi.so" })
        {
            if (NativeLibrary.TryLoad(candidate, out var handle))
                return handle;
        }

        return null;
    }

    /// <summary>True when libmpi can be loaded here.</summary>
    public static bool IsAvailable => Handle.IsValueCreated ? Handle.Value != IntPtr.Zero : LoadLibrary() is not null;

    [LibraryImport(Library, EntryPoint = "MPI_Init")]
    public static partial int Init(IntPtr argc, IntPtr argv);

    [LibraryImport(Library, EntryPoint = "MPI_Initialized")]
    public static partial int Initialized(out int flag);

    [LibraryImport(Library, EntryPoint = "MPI_Finalized")]
    public static partial int Finalized(out int flag);

    [LibraryImport(Library, EntryPoint = "MPI_Finalize")]
    public static partial int Finalize();

    [LibraryImport(Library, EntryPoint = "MPI_Comm_rank")]
    public static partial int CommRank(IntPtr comm, out int rank);

    [LibraryImport(Library, EntryPoint = "MPI_Comm_size")]
    public static partial int CommSize(IntPtr comm, out int size);

    [LibraryImport(Library, EntryPoint = "MPI_Allreduce")]
    public static partial int Allreduce(void* send, void* receive, int count, IntPtr datatype, IntPtr op, IntPtr comm);

    [LibraryImport(Library, EntryPoint = "MPI_Bcast")]
    public static partial int Bcast(void* buffer, int count, IntPtr datatype, int root, IntPtr comm);

    [LibraryImport(Library, EntryPoint = "MPI_Barrier")]
    public static partial int Barrier(IntPtr comm);

    [LibraryImport(Library, EntryPoint = "MPI_Abort")]
    public static partial int Abort(IntPtr comm, int errorCode);
}
