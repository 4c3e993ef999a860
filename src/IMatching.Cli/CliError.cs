using IMatching.Geometry;

namespace IMatching.Cli;

/// <summary>How the command line reports bad input: <c>error: SUBJECT: problem</c> on stderr, no stack trace, exit code 2.</summary>
public static class CliError
{
    public const int BadInput = 2;

    /// <summary>The command finished and wrote its outputs, but some of its items (eval's pairs) failed and are left out.</summary>
    public const int PartialResults = 3;

    public static int Report(UserInputException error)
    {
        Console.Error.WriteLine($"error: {error.Message}");
        return BadInput;
    }
}
