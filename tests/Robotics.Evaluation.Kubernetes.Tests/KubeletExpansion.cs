using System.Text;

namespace Robotics.Evaluation.Kubernetes.Tests;

/// <summary>
/// The kubelet's rewriting of container command and args, as documented on V1Container.Args:
/// <c>$(VAR)</c> is replaced by the variable's value when the container's environment has it and
/// left as is otherwise; <c>$$</c> becomes <c>$</c>. Lets the tests check what the process will
/// actually receive, without a cluster.
/// </summary>
internal static class KubeletExpansion
{
    public static string Expand(string input, IReadOnlyDictionary<string, string> environment)
    {
        var output = new StringBuilder();
        for (var i = 0; i < input.Length; i++)
        {
            if (input[i] != '$' || i + 1 >= input.Length)
            {
                output.Append(input[i]);
                continue;
            }

            var next = input[i + 1];
            if (next == '$')
            {
                output.Append('$');
                i++;
            }
            else if (next == '(' && input.IndexOf(')', i + 2) is var close and >= 0)
            {
                var name = input[(i + 2)..close];
                output.Append(environment.TryGetValue(name, out var value) ? value : input[i..(close + 1)]);
                i = close;
            }
            else
            {
                output.Append('$');
            }
        }

        return output.ToString();
    }
}
