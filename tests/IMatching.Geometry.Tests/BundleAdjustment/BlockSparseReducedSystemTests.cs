using IMatching.Geometry.BundleAdjustment;
using IMatching.Geometry.BundleAdjustment.Internal;
using IMatching.Geometry.Cameras;
using IMatching.Geometry.Lie;
using IMatching.Geometry.Linear;

namespace IMatching.Geometry.Tests.BundleAdjustment;

public class BlockSparseReducedSystemTests
{
    [Theory]
    [InlineData(1, 1, 0.0, new[] { 6 })]
    [InlineData(2, 12, 0.3, new[] { 3 })]
    [InlineData(3, 40, 0.1, new[] { 3, 6, 9 })]
    [InlineData(4, 80, 0.05, new[] { 6, 9 })]
    [InlineData(5, 25, 1.0, new[] { 3, 9 })]
    public void FactorAndSolveMatchesDense(int seed, int blocks, double density, int[] dims)
    {
        var rng = new Random(seed);
        var blockDim = Enumerable.Range(0, blocks).Select(_ => dims[rng.Next(dims.Length)]).ToArray();
        var blockOffset = Offsets(blockDim);
        var pairs = RandomPattern(rng, blocks, density);
        var sparse = BlockSparseReducedSystem.FromGraph(blockOffset, blockDim, Graph(blocks, pairs));
        var accumulator = sparse.CreateAccumulator();
        var dense = new DenseReducedSystem(blockOffset, blockDim);
        int n = sparse.Size;
        // The small systems also go row-major, the whole matrix in one array.
        var rowMajor = n <= RowMajorReducedSystem.MaxSize ? new RowMajorReducedSystem(blockOffset, blockDim) : null;

        // Twice over the same systems: the second factorisation must not see anything left by the first.
        for (int round = 0; round < 2; round++)
        {
            sparse.Clear();
            accumulator.Clear();
            dense.Clear();
            rowMajor?.Clear();
            var rowAbsSum = new double[n];
            foreach (var (r, c) in pairs.Concat(Enumerable.Range(0, blocks).Select(b => (b, b))))
            {
                var values = RandomBlock(rng, blockDim[r], blockDim[c], symmetric: r == c);
                // Split each block between the system and a worker accumulator so Add is exercised too.
                var part = values.Select(v => rng.NextDouble() * v).ToArray();
                Write(sparse, r, c, part, 1);
                Write(accumulator, r, c, values, 1);
                Write(accumulator, r, c, part, -1);
                Write(dense, r, c, values, 1);
                if (rowMajor is not null) Write(rowMajor, r, c, values, 1);
                for (int i = 0; i < blockDim[r]; i++)
                    for (int j = 0; j < blockDim[c]; j++)
                    {
                        double a = Math.Abs(values[i * blockDim[c] + j]);
                        rowAbsSum[blockOffset[r] + i] += a;
                        if (r != c) rowAbsSum[blockOffset[c] + j] += a;
                    }
            }
            sparse.Add(accumulator);
            // Diagonal dominance makes it positive definite without overwhelming the off-diagonal blocks.
            var shift = rowAbsSum.Select(s => 0.1 + s).ToArray();
            sparse.AddToDiagonal(shift);
            dense.AddToDiagonal(shift);
            rowMajor?.AddToDiagonal(shift);

            var rhs = Enumerable.Range(0, n).Select(_ => rng.NextDouble() * 2 - 1).ToArray();
            var expected = new double[n];
            var actual = new double[n];
            Assert.True(dense.FactorizeAndSolve(rhs, expected));
            Assert.True(sparse.FactorizeAndSolve(rhs, actual));
            double scale = expected.Max(Math.Abs);
            for (int i = 0; i < n; i++) Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-9 * scale, $"x[{i}]: {actual[i]} vs dense {expected[i]}");
            if (rowMajor is null) continue;
            // The same matrix in the same row-by-row factorisation: the same bits.
            var rowMajorX = new double[n];
            Assert.True(rowMajor.FactorizeAndSolve(rhs, rowMajorX));
            Assert.Equal(expected, rowMajorX);
        }
    }

    [Fact]
    public void IndefiniteMatrixIsRejected()
    {
        // Identity diagonal blocks coupled by 0.8 I around a 5-cycle: every block and every pair of
        // blocks is positive definite, yet I + 0.8 adj(C5) has eigenvalue 1 - 0.8 * 1.618 < 0, so the
        // failure shows only after fill and updates from earlier columns.
        int[] blockDim = [3, 6, 3, 9, 3];
        var pairs = new List<(int, int)> { (1, 0), (2, 1), (3, 2), (4, 3), (4, 0) };
        var system = BlockSparseReducedSystem.FromGraph(Offsets(blockDim), blockDim, Graph(blockDim.Length, pairs));
        for (int b = 0; b < blockDim.Length; b++)
        {
            int at = system.Locate(b, b, out int ld);
            for (int i = 0; i < blockDim[b]; i++) system.Values[at + i * ld + i] = 1;
        }
        foreach (var (r, c) in pairs)
        {
            int at = system.Locate(r, c, out int ld);
            for (int i = 0; i < Math.Min(blockDim[r], blockDim[c]); i++) system.Values[at + i * ld + i] = 0.8;
        }
        var x = new double[system.Size];
        Assert.False(system.FactorizeAndSolve(new double[system.Size], x));
    }

    [Fact]
    public void SparseAndDenseSchurReachTheSameMinimum()
    {
        var options = new SolverOptions { FunctionTolerance = 1e-12, ParameterTolerance = 1e-14, GradientTolerance = 1e-16 };
        var sparse = Solver.Solve(SyntheticProblem(), options with { LinearSolver = LinearSolverType.SparseSchur });
        var dense = Solver.Solve(SyntheticProblem(), options with { LinearSolver = LinearSolverType.DenseSchur });

        Assert.Equal(LinearSolverType.SparseSchur, sparse.LinearSolverUsed);
        Assert.True(sparse.IsUsable, sparse.BriefReport());
        Assert.True(dense.IsUsable, dense.BriefReport());
        Assert.True(sparse.InitialCost > 1e3, sparse.BriefReport());
        // Noise-free observations: the ground truth has zero cost.
        Assert.True(sparse.FinalCost < 1e-12 * sparse.InitialCost, sparse.BriefReport());
        Assert.True(dense.FinalCost < 1e-12 * dense.InitialCost, dense.BriefReport());
        // Same steps while the cost is still far above rounding level, hence the same path to the minimum.
        for (int i = 0; i < Math.Min(sparse.IterationLog.Count, dense.IterationLog.Count); i++)
        {
            double a = sparse.IterationLog[i].Cost, b = dense.IterationLog[i].Cost;
            if (b < 1e-8 * dense.InitialCost) break;
            Assert.True(Math.Abs(a - b) <= 1e-6 * b, $"iteration {i}: sparse cost {a} vs dense {b}");
        }
        double floor = 1e-14 * dense.InitialCost;
        Assert.True(Math.Abs(sparse.FinalCost - dense.FinalCost) <= 1e-6 * Math.Max(sparse.FinalCost, dense.FinalCost) + floor,
            $"{sparse.BriefReport()}\n{dense.BriefReport()}");
    }

    /// <summary>
    /// 60 cameras along a wavy path looking along +z, 2500 points each seen by 3–6 neighbouring
    /// cameras. Cameras 0–39 are BAL cameras with their own intrinsics (pose 0 constant, so its
    /// intrinsics get a block of their own; pose 1 keeps its distance to pose 0); cameras 40–59 share
    /// one Brown–Conrady block, which couples all of them. A few points are held constant.
    /// </summary>
    private static Problem SyntheticProblem()
    {
        const int cameras = 60, points = 2500, balCameras = 40;
        const double spacing = 0.5;
        var rng = new Random(7);
        var problem = new Problem();
        var flip = Mat3.Diagonal(1, -1, -1);
        double[] balTruth = [500, 0.02, -0.01];
        double[] bcTruth = [450, 455, 320, 240, -0.05, 0.01, 0.001, -0.001, 0];
        var shared = problem.AddIntrinsics(BrownConradyModel.Instance, bcTruth.Select((v, i) => i < 2 ? v * 1.01 : v).ToArray());
        var truth = new Se3[cameras];
        var poses = new PoseBlock[cameras];
        var intrinsics = new IntrinsicsBlock[cameras];
        for (int i = 0; i < cameras; i++)
        {
            var centre = new Vec3(spacing * i, 0.3 * Math.Sin(0.2 * i), 0.1 * Math.Cos(0.3 * i));
            var rotation = So3.Exp(0.05 * RandomVec(rng));
            if (i < balCameras) rotation = flip * rotation;
            truth[i] = new Se3(rotation, -(rotation * centre));
            var startRotation = So3.Exp(0.01 * RandomVec(rng)) * rotation;
            // Pose 1's distance to pose 0 is frozen at its start value, so only its rotation is perturbed.
            var startCentre = i == 1 ? centre : centre + 0.05 * RandomVec(rng);
            poses[i] = problem.AddPose(i == 0 ? truth[i] : new Se3(startRotation, -(startRotation * startCentre)));
            intrinsics[i] = i < balCameras
                ? problem.AddIntrinsics(BalModel.Instance, [balTruth[0] * (1 + 0.01 * RandomVec(rng).X), balTruth[1], balTruth[2]])
                : shared;
        }
        problem.SetConstant(poses[0]);
        problem.FixScale(poses[0], poses[1]);

        for (int p = 0; p < points; p++)
        {
            var world = new Vec3(spacing * (cameras - 1) * rng.NextDouble(), 3 * rng.NextDouble() - 1.5, 4 + 4 * rng.NextDouble());
            bool constant = p % 125 == 0;
            var point = problem.AddPoint(constant ? world : world + 0.05 * RandomVec(rng));
            if (constant) problem.SetConstant(point);
            int seen = 3 + rng.Next(4);
            int first = Math.Clamp((int)Math.Round(world.X / spacing) - seen / 2, 0, cameras - seen);
            for (int i = first; i < first + seen; i++)
            {
                var model = i < balCameras ? (IProjectionModel)BalModel.Instance : BrownConradyModel.Instance;
                var pixel = model.Project(i < balCameras ? balTruth : bcTruth, truth[i].Act(world), default, default);
                problem.AddObservation(poses[i], intrinsics[i], point, pixel);
            }
        }
        return problem;
    }

    private static Vec3 RandomVec(Random rng) => new(2 * rng.NextDouble() - 1, 2 * rng.NextDouble() - 1, 2 * rng.NextDouble() - 1);

    private static int[] Offsets(int[] blockDim)
    {
        var offset = new int[blockDim.Length];
        for (int b = 1; b < blockDim.Length; b++) offset[b] = offset[b - 1] + blockDim[b - 1];
        return offset;
    }

    /// <summary>Lower pairs (r &gt; c) present with probability <paramref name="density"/>.</summary>
    private static List<(int, int)> RandomPattern(Random rng, int blocks, double density)
    {
        var pairs = new List<(int, int)>();
        for (int r = 0; r < blocks; r++)
            for (int c = 0; c < r; c++)
                if (rng.NextDouble() < density) pairs.Add((r, c));
        return pairs;
    }

    private static HashSet<int>[] Graph(int blocks, IEnumerable<(int, int)> pairs)
    {
        var adjacency = Enumerable.Range(0, blocks).Select(_ => new HashSet<int>()).ToArray();
        foreach (var (r, c) in pairs)
        {
            adjacency[r].Add(c);
            adjacency[c].Add(r);
        }
        return adjacency;
    }

    private static double[] RandomBlock(Random rng, int rows, int cols, bool symmetric)
    {
        var values = new double[rows * cols];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++)
                values[i * cols + j] = symmetric && j < i ? values[j * cols + i] : 2 * rng.NextDouble() - 1;
        return values;
    }

    private static void Write(ReducedSystem system, int r, int c, double[] values, double sign)
    {
        int at = system.Locate(r, c, out int ld);
        int rows = system.BlockDim[r], cols = system.BlockDim[c];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++)
                system.Values[at + i * ld + j] += sign * values[i * cols + j];
    }
}
