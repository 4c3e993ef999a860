namespace IMatching.Cli.Commands;

/// <summary>Runs the callback on the reporting thread; Progress&lt;T&gt; would post to the thread pool and lag behind.</summary>
internal sealed class InlineProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
