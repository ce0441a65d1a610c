namespace Robotics.Distributed;

/// <summary>
/// Whether this process was started by an MPI launcher (mpirun / mpiexec, Slurm's srun with PMIx, the Kubernetes MPI
/// Operator's launcher), read from the environment every launcher sets, so a program can pick data-parallel training
/// without a flag and never calls MPI_Init when it runs alone.
/// </summary>
public static class MpiLaunch
{
    private static readonly string[] SizeVariables = ["OMPI_COMM_WORLD_SIZE", "PMIX_SIZE", "PMI_SIZE", "SLURM_NTASKS"];

    /// <summary>The world size the launcher announced, or null when not launched by MPI.</summary>
    public static int? AnnouncedSize()
    {
        // PMIX_RANK without a size variable still means a PMIx launch (srun --mpi=pmix sets PMIX_RANK first).
        foreach (string name in SizeVariables)
        {
            if (int.TryParse(Environment.GetEnvironmentVariable(name), out int size) && size > 0)
                return size;
        }

        return Environment.GetEnvironmentVariable("PMIX_RANK") is not null ? 1 : null;
    }

    public static bool IsLaunched => AnnouncedSize() is not null;

    private static readonly string[] RankVariables = ["OMPI_COMM_WORLD_RANK", "PMIX_RANK", "PMI_RANK", "SLURM_PROCID"];

    /// <summary>This process's rank as the launcher announced it (before MPI_Init), or null when not launched by MPI.</summary>
    public static int? AnnouncedRank()
    {
        foreach (string name in RankVariables)
        {
            if (int.TryParse(Environment.GetEnvironmentVariable(name), out int rank) && rank >= 0)
                return rank;
        }

        return null;
    }
}
