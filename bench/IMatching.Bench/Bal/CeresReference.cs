using System.Globalization;
using System.Text.RegularExpressions;

namespace IMatching.Bench.Bal;

/// <summary>One row of the Ceres reference table in shared/bal/README.md.</summary>
public sealed record CeresReference(string Problem, double InitialCost, double FinalCost, int Steps, double SparseSchurSeconds, double DenseSchurSeconds)
{
    /// <summary>Reads the table rather than copying its figures, so the bench always compares with what the README says.</summary>
    public static IReadOnlyList<CeresReference> Load(string readmePath)
    {
        var rows = new List<CeresReference>();
        var pattern = new Regex(@"^\|\s*(?<name>[\w-]+)\s*\|\s*(?<init>[\d.e+-]+)\s*\|\s*(?<final>[\d.e+-]+)\s*\|\s*(?<steps>\d+)\s*\|\s*(?<sparse>[\d.]+) s\s*\|\s*(?<dense>[\d.]+) s\s*\|");
        foreach (var line in File.ReadLines(readmePath))
        {
            var m = pattern.Match(line);
            if (!m.Success) continue;
            double D(string g) => double.Parse(m.Groups[g].Value, CultureInfo.InvariantCulture);
            rows.Add(new CeresReference(m.Groups["name"].Value, D("init"), D("final"), int.Parse(m.Groups["steps"].Value, CultureInfo.InvariantCulture), D("sparse"), D("dense")));
        }
        if (rows.Count == 0) throw new InvalidDataException($"{readmePath}: no Ceres reference rows found.");
        return rows;
    }

    /// <summary>The problem file the row describes: "ladybug-49-7776" is problem-49-7776-pre.txt.</summary>
    public string FileName
    {
        get
        {
            var m = Regex.Match(Problem, @"(\d+-\d+)$");
            return Problem.StartsWith("synthetic", StringComparison.Ordinal) ? Problem + ".txt" : $"problem-{m.Value}-pre.txt";
        }
    }
}
