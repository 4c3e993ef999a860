namespace IMatching.Cli;

/// <summary>Prints a user-facing error (no stack trace) and gives the exit code for bad input.</summary>
public static class CliError
{
    public const int BadInput = 2;

    public static int Report(string message)
    {
        Console.Error.WriteLine($"error: {message}");
        return BadInput;
    }
}
