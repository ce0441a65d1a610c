namespace Robotics.Cli;

/// <summary>Process exit codes shared by every command.</summary>
public static class ExitCodes
{
    public const int Success = 0;

    /// <summary>The work ran and found a problem (invalid dataset, failed check, failed test episode).</summary>
    public const int Failure = 1;

    /// <summary>Bad command line or configuration.</summary>
    public const int Usage = 2;

    /// <summary>A required part of the installation is missing (native library, package).</summary>
    public const int MissingRequirement = 3;

    /// <summary>Interrupted by Ctrl+C or SIGTERM (128 + SIGINT, as shells report it).</summary>
    public const int Cancelled = 130;
}
