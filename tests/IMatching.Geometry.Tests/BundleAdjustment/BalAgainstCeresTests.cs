using System.Globalization;
using IMatching.Geometry.Bal;
using IMatching.Geometry.BundleAdjustment;
using IMatching.Geometry.Tests.TestSupport;

namespace IMatching.Geometry.Tests.BundleAdjustment;

/// <summary>
/// The real BAL problems of ../shared/bal, solved as Ceres was, must end at Ceres' final cost (README table) to 0.1 %, with either
/// pose update; moved in angle-axis and translation, as Ceres' BAL example moves them, they take Ceres' path there: Ceres' LM
/// steps, accepted and rejected, and one more, the step that meets the function tolerance, which Ceres tries but does not
/// count, and we accept.
/// </summary>
[Trait("Category", "Long")]
public class BalAgainstCeresTests
{
    public static TheoryData<string, string, PoseUpdate> Problems
    {
        get
        {
            var data = new TheoryData<string, string, PoseUpdate>();
            foreach (var update in new[] { PoseUpdate.LeftSe3, PoseUpdate.AngleAxis })
            {
                data.Add("problem-49-7776-pre.txt", "ladybug-49-7776", update);
                data.Add("problem-21-11315-pre.txt", "trafalgar-21-11315", update);
                data.Add("problem-39-18060-pre.txt", "trafalgar-39-18060", update);
                data.Add("synthetic-6-2000.txt", "synthetic-6-2000", update);
            }
            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Problems))]
    public void FinalCostMatchesCeres(string file, string row, PoseUpdate update)
    {
        var (initial, final, steps) = Ceres(row);
        var bal = BalReader.Read(Path.Combine(RepoPaths.Shared, "bal", file));
        var (problem, _, _, _) = bal.ToProblem(update: update);
        var summary = Solver.Solve(problem, new SolverOptions { NumThreads = 2 });

        Assert.Equal(initial, summary.InitialCost, 1e-6 * initial);
        Assert.Equal(TerminationType.Convergence, summary.Termination);
        Assert.StartsWith("function tolerance", summary.Message, StringComparison.Ordinal);
        Assert.True(Math.Abs(summary.FinalCost - final) <= 1e-3 * final, $"final cost {summary.FinalCost:E6}, Ceres {final:E6}");
        if (update == PoseUpdate.AngleAxis) Assert.Equal(steps + 1, summary.Iterations);
    }

    /// <summary>Ceres' initial and final cost and LM steps, from ../shared/bal/README.md's table.</summary>
    private static (double Initial, double Final, int Steps) Ceres(string row)
    {
        var line = File.ReadLines(Path.Combine(RepoPaths.Shared, "bal", "README.md")).Single(l => l.StartsWith("| " + row + " ", StringComparison.Ordinal));
        var cells = line.Split('|', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        return (double.Parse(cells[1], CultureInfo.InvariantCulture), double.Parse(cells[2], CultureInfo.InvariantCulture), int.Parse(cells[3], CultureInfo.InvariantCulture));
    }

    [Fact]
    public void SolvedProblemRoundTripsThroughTheWriter()
    {
        var path = Path.Combine(RepoPaths.Shared, "bal", "synthetic-6-2000.txt");
        var bal = BalReader.Read(path);
        var (problem, poses, intrinsics, points) = bal.ToProblem();
        var summary = Solver.Solve(problem);
        var tmp = Path.Combine(Path.GetTempPath(), $"imatching-bal-{Guid.NewGuid():N}.txt");
        try
        {
            BalWriter.Write(bal.WithSolution(poses, intrinsics, points), tmp);
            var (reread, _, _, _) = BalReader.Read(tmp).ToProblem();
            Assert.Equal(summary.FinalCost, reread.EvaluateCost(), 1e-9 * summary.FinalCost);
        }
        finally
        {
            File.Delete(tmp);
        }
    }
}
