using System.Diagnostics;
using System.Globalization;
using IMatching.Geometry.Bal;
using IMatching.Geometry.BundleAdjustment;

namespace IMatching.Bench.Bal;

/// <summary>Solves each BAL problem of shared/bal as Ceres' reference did and prints a Markdown table against it.</summary>
public static class BalBenchmark
{
    public static int Run(string balDirectory, int runs, int[] threadCounts, PoseUpdate poseUpdate)
    {
        var references = CeresReference.Load(Path.Combine(balDirectory, "README.md"));
        var c = CultureInfo.InvariantCulture;
        Console.WriteLine($"BAL benchmark: median of {runs} runs (synthetic: {5 * runs}), solver time excludes parsing; pose update {poseUpdate}; Ceres figures from {Path.Combine(balDirectory, "README.md")}.");
        Console.WriteLine();
        Console.Write("| problem | final cost | Ceres final | rel. diff | LM steps (Ceres) |");
        foreach (var t in threadCounts) Console.Write($" time {t} thr |");
        Console.WriteLine(" Ceres dense 1 thr | ratio 1 thr |");
        Console.Write("|---|---|---|---|---|");
        foreach (var _ in threadCounts) Console.Write("---|");
        Console.WriteLine("---|---|");
        bool allWithin = true;
        foreach (var reference in references)
        {
            var path = Path.Combine(balDirectory, reference.FileName);
            var bal = BalReader.Read(path);
            int n = reference.Problem.StartsWith("synthetic", StringComparison.Ordinal) ? 5 * runs : runs;
            Summary? last = null;
            var medians = new List<double>();
            foreach (int threads in threadCounts)
            {
                var times = new List<double>();
                Solve(bal, threads, poseUpdate); // warm-up: JIT and caches
                for (int r = 0; r < n; r++)
                {
                    last = Solve(bal, threads, poseUpdate);
                    times.Add(last.TotalSeconds);
                }
                times.Sort();
                medians.Add(times[times.Count / 2]);
            }
            double rel = (last!.FinalCost - reference.FinalCost) / reference.FinalCost;
            allWithin &= Math.Abs(rel) <= 1e-3;
            Console.Write(string.Create(c, $"| {reference.Problem} | {last.FinalCost:E6} | {reference.FinalCost:E6} | {(rel >= 0 ? "+" : "")}{rel * 100:F4} % | {last.Iterations} ({reference.Steps}) |"));
            foreach (var m in medians) Console.Write(string.Create(c, $" {m:F3} s |"));
            int oneThread = Array.IndexOf(threadCounts, 1);
            string ratio = oneThread >= 0 ? (medians[oneThread] / reference.DenseSchurSeconds).ToString("F2", c) + "x" : "-";
            Console.WriteLine(string.Create(c, $" {reference.DenseSchurSeconds:F3} s | {ratio} |"));
        }
        Console.WriteLine();
        Console.WriteLine(allWithin ? "All final costs within 0.1 % of Ceres." : "Some final cost differs from Ceres by more than 0.1 %.");
        return allWithin ? 0 : 1;
    }

    private static Summary Solve(BalProblem bal, int threads, PoseUpdate poseUpdate)
    {
        var (problem, _, _, _) = bal.ToProblem(update: poseUpdate);
        var summary = Solver.Solve(problem, new SolverOptions { NumThreads = threads });
        if (!summary.IsUsable) throw new InvalidOperationException($"Solve failed: {summary.Message}");
        return summary;
    }
}
