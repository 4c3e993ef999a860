using IMatching.Geometry;

namespace IMatching.Cli;

/// <summary>How the command line reports bad input: <c>error: SUBJECT: problem</c> on stderr, no stack trace, exit code 2.</summary>
public static class CliError
{
    public const int BadInput = 2;

    public static int Report(UserInputException error)
    {
        Console.Error.WriteLine($"error: {error.Message}");
        return BadInput;
    }
}
