using System.CommandLine;

namespace IMatching.Cli.Reports;

/// <summary>The command line a report records, rebuilt from the parsed tokens so that it can be pasted into a shell.</summary>
public static class ReportCommandLine
{
    public static string Of(ParseResult parse) => string.Join(" ", parse.Tokens.Select(t => Quote(t.Value)).Prepend("imatching"));

    private static string Quote(string word) =>
        word.Length > 0 && word.All(c => char.IsLetterOrDigit(c) || "-_./:=+,@%#".Contains(c)) ? word : $"'{word.Replace("'", "'\\''")}'";
}
