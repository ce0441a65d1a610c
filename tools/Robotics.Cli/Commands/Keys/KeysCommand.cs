using System.CommandLine;
using Robotics.Cli.Hosting;
using Spectre.Console;
using Robotics.Transport.Security;

namespace Robotics.Cli.Commands.Keys;

/// <summary><c>robotics keys generate</c>: a CurveZMQ key pair as ZeroMQ certificate files (pyzmq's zmq.auth reads them).</summary>
public static class KeysCommand
{
    private static readonly Option<string> Name = new("--name") { Description = "File name stem: NAME.key (public) and NAME.key_secret.", DefaultValueFactory = _ => "robotics" };
    private static readonly Option<string> Out = new("--out") { Description = "Folder for the key files.", DefaultValueFactory = _ => "keys" };

    public static Command Create()
    {
        var generate = new Command("generate", "Generate a CurveZMQ key pair: give NAME.key to the other side (the host's --robots or --operators folder, or a client's --server-key); keep NAME.key_secret.");
        generate.Options.Add(Name);
        generate.Options.Add(Out);
        generate.SetHandler((context, parse) =>
        {
            string name = parse.GetValue(Name)!;
            if (name.Length == 0 || name.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0)
                throw new CommandLineException($"--name '{name}' is not a valid file name.");
            var (publicPath, secretPath) = CurveKeyFile.Write(parse.GetValue(Out)!, name, CurveKeyPair.Generate());
            context.Console.MarkupLineInterpolated($"public key: {CurveKeyFile.Read(publicPath).PublicKey}");
            context.Console.MarkupLineInterpolated($"wrote {publicPath} (share) and {secretPath} (keep private, mode 600)");
            return Task.FromResult(ExitCodes.Success);
        });
        var command = new Command("keys", "CurveZMQ keys for the control host and its robots/operators.");
        command.Subcommands.Add(generate);
        return command;
    }
}
