using IMatching.Geometry;

namespace IMatching.Cli;

/// <summary>How the command line reports bad input: <c>error: SUBJECT: problem</c> on stderr, no stack trace, exit code 2.</summary>
public static class CliError
{
    public const int BadInput = 2;

    public static int Report(UserInputException error) => Report(error.Message);

    /// <summary>For the commands that still catch their own list of exceptions (train, pretrain) until they leave it to Program.</summary>
    public static int Report(string message)
    {
        Console.Error.WriteLine($"error: {message}");
        return BadInput;
    }
}
