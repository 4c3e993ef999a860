using Spectre.Console;

namespace IMatching.Cli.Commands;

/// <summary>Updates a Spectre progress bar on the reporting thread; Progress&lt;T&gt; would post to the thread pool and lag behind.</summary>
internal sealed class ProgressTaskReporter(ProgressTask task) : IProgress<(int Done, int Total)>
{
    public void Report((int Done, int Total) value)
    {
        task.MaxValue = value.Total;
        task.Value = value.Done;
    }
}
