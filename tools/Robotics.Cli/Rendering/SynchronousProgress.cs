namespace Robotics.Cli.Rendering;

/// <summary>Calls the handler on the reporting thread (Progress&lt;T&gt; would post to a thread pool and lag).</summary>
public sealed class SynchronousProgress<T>(Action<T> handler) : IProgress<T>
{
    public void Report(T value) => handler(value);
}
