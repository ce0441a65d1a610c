using Robotics.Protocol.Messages;

namespace Robotics.Transport.Security;

/// <summary>
/// Which client public keys may connect, and as what: robot keys may only say hello as the robot and stream
/// observations; operator keys may only say hello as operators and send commands.
/// </summary>
public sealed class ClientAllowlist
{
    private readonly Dictionary<string, PeerRole> _roles = new(StringComparer.Ordinal);

    public int Count => _roles.Count;

    public static ClientAllowlist From(HostEndpointOptions options)
    {
        var list = new ClientAllowlist();
        foreach (string key in options.RobotKeys)
            list.Add(key, PeerRole.Robot, "Transport:RobotKeys");
        foreach (string key in options.OperatorKeys)
            list.Add(key, PeerRole.Operator, "Transport:OperatorKeys");
        list.AddDirectory(options.RobotKeyDirectory, PeerRole.Robot);
        list.AddDirectory(options.OperatorKeyDirectory, PeerRole.Operator);
        return list;
    }

    public PeerRole? RoleOf(string publicKeyZ85) => _roles.TryGetValue(publicKeyZ85, out var role) ? role : null;

    private void AddDirectory(string? directory, PeerRole role)
    {
        if (directory is null)
            return;
        // Public key files only: a NAME.key_secret left in the folder is not an allowlist entry.
        foreach (string file in Directory.EnumerateFiles(directory).Where(f => f.EndsWith(".key", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
            Add(CurveKeyFile.Read(file).PublicKey, role, file);
    }

    private void Add(string key, PeerRole role, string source)
    {
        if (CurveKeys.Problem(key) is { } problem)
            throw new InvalidDataException($"{source}: key '{key}' {problem}");
        if (_roles.TryGetValue(key, out var existing) && existing != role)
            throw new InvalidDataException($"{source}: key '{key}' is on both the robot and the operator allowlists; a key has one role");
        _roles[key] = role;
    }
}
