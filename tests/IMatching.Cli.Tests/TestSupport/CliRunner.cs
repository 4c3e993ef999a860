namespace IMatching.Cli.Tests.TestSupport;

/// <summary>
/// Runs the CLI in-process with stdout and stderr captured. Console redirection is process-wide, so
/// every class that uses this belongs to the "Console" collection, which xunit never runs in parallel.
/// </summary>
public static class CliRunner
{
    public static (int Code, string Out, string Err) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var (oldOut, oldErr) = (Console.Out, Console.Error);
        Console.SetOut(stdout);
        Console.SetError(stderr);
        try
        {
            return (Program.Run(args), stdout.ToString(), stderr.ToString());
        }
        finally
        {
            Console.SetOut(oldOut);
            Console.SetError(oldErr);
        }
    }
}
