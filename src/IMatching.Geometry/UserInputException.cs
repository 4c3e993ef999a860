namespace IMatching.Geometry;

/// <summary>
/// Bad input from the user: a file (or a line of it), an option or a value, and why it is refused. The one type the
/// command line reports as a user error (<c>error: SUBJECT: problem</c>, exit code 2, no stack trace); every other
/// exception is a bug and keeps its stack trace. Thrown where input enters: readers, loaders and option parsing.
/// </summary>
public class UserInputException(string subject, string problem, Exception? inner = null)
    : Exception($"{subject}: {problem}", inner)
{
    /// <summary>What is wrong: a file path (<c>PATH:LINE</c> for a line), an option (<c>--max-features</c>) or a value.</summary>
    public string Subject { get; } = subject;

    /// <summary>Why it is refused, in words a user can act on.</summary>
    public string Problem { get; } = problem;
}
