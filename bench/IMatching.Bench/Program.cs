using System.Diagnostics;
using IMatching.Geometry.Bal;
using IMatching.Geometry.BundleAdjustment;

namespace IMatching.Bench;

public static class Program
{
    public static int Main(string[] args)
    {
        foreach (var path in args)
        {
            var bal = BalReader.Read(path);
            for (int rep = 0; rep < 3; rep++)
            {
                var (problem, _, _, _) = bal.ToProblem();
                var sw = Stopwatch.StartNew();
                var s = Solver.Solve(problem, new SolverOptions { NumThreads = 1 });
                Console.WriteLine($"{Path.GetFileName(path)}: {s.BriefReport()} lin {s.LinearSolverSeconds:F3} schur {s.SchurEliminationSeconds:F3} jac {s.JacobianEvaluationSeconds:F3} res {s.ResidualEvaluationSeconds:F3}");
            }
        }
        return 0;
    }
}
