// Sample: a robust bundle adjustment with IMatching.Geometry's Problem / Solver API (Ceres-style).
// Five cameras see 300 points; the poses and points start perturbed, 5 % of the observations are outliers, and a Cauchy
// loss keeps them from pulling the solution. Run: dotnet run -c Release --project samples/BundleAdjustment
using System.Globalization;
using IMatching.Geometry.BundleAdjustment;
using IMatching.Geometry.Cameras;
using IMatching.Geometry.Lie;
using IMatching.Geometry.Linear;
using IMatching.Geometry.RobustLosses;

var random = new Random(1);
double Noise(double sigma) => sigma * (random.NextDouble() * 2 - 1);
Vec3 NoiseVec(double sigma) => new(Noise(sigma), Noise(sigma), Noise(sigma));

// Ground truth: points in a 2 m cube at the origin; cameras on a 60-degree arc 5 m away, all looking at the cube's centre.
double[] intrinsics = [500, 500, 320, 240, 0, 0, 0, 0, 0]; // fx fy cx cy (px), then no distortion (k1 k2 p1 p2 k3)
Vec3[] pointsWorld = [.. Enumerable.Range(0, 300).Select(_ => NoiseVec(1))];
Se3[] camerasFromWorld = [.. Enumerable.Range(0, 5).Select(i => (i / 4.0 - 0.5) * Math.PI / 3)
    .Select(angle => SyntheticScene.LookAt(new Vec3(5 * Math.Sin(angle), 0, -5 * Math.Cos(angle)), Vec3.Zero, new Vec3(0, -1, 0)))];

var problem = new Problem();
var camera = problem.AddIntrinsics(BrownConradyModel.Instance, intrinsics);
problem.SetConstant(camera); // calibrated camera: only poses and points move
// Pose 0 is exact and constant; pose 1 keeps its distance to pose 0 (FixScale): together they fix the 7-DOF gauge.
// Every other pose starts 2 cm and about 1 degree off, every point 10 cm off.
var poses = camerasFromWorld.Select((truth, i) => problem.AddPose(i < 2 ? truth
    : Se3.Exp([Noise(0.02), Noise(0.02), Noise(0.02), Noise(0.02), Noise(0.02), Noise(0.02)]).Compose(truth))).ToArray();
problem.SetConstant(poses[0]);
problem.FixScale(poses[0], poses[1]);
var points = pointsWorld.Select(p => problem.AddPoint(p + NoiseVec(0.1))).ToArray();

var robust = new CauchyLoss(2.0); // px: beyond 2 px a residual's pull fades, so a wild outlier hardly moves the solution
int outliers = 0;
for (int c = 0; c < poses.Length; c++)
    for (int p = 0; p < points.Length; p++)
    {
        Vec2 pixel = BrownConradyModel.Instance.Project(intrinsics, camerasFromWorld[c].Act(pointsWorld[p]), default, default);
        bool outlier = random.NextDouble() < 0.05;
        outliers += outlier ? 1 : 0;
        Vec2 observedPx = outlier ? new Vec2(random.NextDouble() * 640, random.NextDouble() * 480) : new Vec2(pixel.X + Noise(0.5), pixel.Y + Noise(0.5));
        problem.AddObservation(poses[c], camera, points[p], observedPx, loss: robust);
    }

var summary = Solver.Solve(problem, new SolverOptions { NumThreads = Environment.ProcessorCount });
Console.WriteLine(summary.BriefReport());

var c0 = CultureInfo.InvariantCulture;
double worstCentreCm = poses.Max(p => (p.Centre - camerasFromWorld[p.Index].InverseTranslation).Norm) * 100;
double worstRotationDeg = poses.Max(p => So3.AngleBetween(p.CameraFromWorld.Rotation, camerasFromWorld[p.Index].Rotation)) * 180 / Math.PI;
int flagged = problem.Observations.Count(o => Problem.Residual(o).Norm > 3 * robust.Scale);
Console.WriteLine(string.Create(c0, $"cost {summary.InitialCost:E3} -> {summary.FinalCost:E3} in {summary.Iterations} steps ({summary.Termination})"));
Console.WriteLine(string.Create(c0, $"worst camera error: {worstCentreCm:F2} cm, {worstRotationDeg:F3} deg; {flagged} observations beyond 6 px ({outliers} outliers were planted)"));
return summary.IsUsable ? 0 : 1;
