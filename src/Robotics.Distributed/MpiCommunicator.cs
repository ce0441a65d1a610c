using System.Runtime.InteropServices;
using Robotics.Distributed.Native;

namespace Robotics.Distributed;

/// <summary>
/// MPI_COMM_WORLD for data-parallel training: rank, size, and the collectives the trainer needs. One per process
/// (MPI_Init once; MPI_Finalize at dispose). Every failing call throws naming the call and the MPI error code. A rank
/// that dies makes the launcher (mpirun) abort the job: the others never wait forever in a collective.
/// </summary>
public sealed unsafe class MpiCommunicator : IDisposable
{
    private static MpiCommunicator? _instance;
    private bool _disposed;

    private MpiCommunicator(int rank, int size)
    {
        Rank = rank;
        Size = size;
    }

    public int Rank { get; }
    public int Size { get; }
    public bool IsRoot => Rank == 0;

    /// <summary>Initialises MPI (once per process) and returns the world communicator.</summary>
    public static MpiCommunicator Initialize()
    {
        if (_instance is not null)
            return _instance;
        Check(LibMpi.Initialized(out int initialized), "MPI_Initialized");
        if (initialized == 0)
            Check(LibMpi.Init(IntPtr.Zero, IntPtr.Zero), "MPI_Init");
        Check(LibMpi.CommRank(LibMpi.CommWorld, out int rank), "MPI_Comm_rank");
        Check(LibMpi.CommSize(LibMpi.CommWorld, out int size), "MPI_Comm_size");
        return _instance = new MpiCommunicator(rank, size);
    }

    /// <summary>Element-wise sum over all ranks, in place (every rank ends with the same values).</summary>
    public void AllReduceSum(Span<float> values)
    {
        if (values.IsEmpty)
            return;
        var sent = values.ToArray();
        fixed (float* send = sent)
        fixed (float* receive = values)
            Check(LibMpi.Allreduce(send, receive, values.Length, LibMpi.Float, LibMpi.Sum, LibMpi.CommWorld), "MPI_Allreduce(float, sum)");
    }

    /// <summary>Element-wise sum over all ranks, in place.</summary>
    public void AllReduceSum(Span<double> values)
    {
        if (values.IsEmpty)
            return;
        var sent = values.ToArray();
        fixed (double* send = sent)
        fixed (double* receive = values)
            Check(LibMpi.Allreduce(send, receive, values.Length, LibMpi.Double, LibMpi.Sum, LibMpi.CommWorld), "MPI_Allreduce(double, sum)");
    }

    /// <summary>Root's bytes to every rank.</summary>
    public void Broadcast(Span<byte> values, int root = 0)
    {
        fixed (byte* buffer = values)
            Check(LibMpi.Bcast(buffer, values.Length, LibMpi.Byte, root, LibMpi.CommWorld), "MPI_Bcast");
    }

    public void Barrier() => Check(LibMpi.Barrier(LibMpi.CommWorld), "MPI_Barrier");

    /// <summary>Ends the whole job (every rank) with <paramref name="code"/>: for a rank that cannot go on.</summary>
    public void Abort(int code) => LibMpi.Abort(LibMpi.CommWorld, code);

    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        LibMpi.Finalized(out int finalized);
        if (finalized == 0)
            LibMpi.Finalize();
    }

    private static void Check(int code, string call)
    {
        if (code != LibMpi.Success)
            throw new ExternalException($"{call} failed with MPI error {code}", code);
    }
}
