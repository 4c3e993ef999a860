using IMatching.Geometry.Lie;
using IMatching.Geometry.Linear;
using IMatching.Geometry.MultiView;

namespace IMatching.Geometry.Tests.MultiView;

public class P3pTests
{
    /// <summary>A random pose (any rotation) and three world points 1-10 units in front of it, spread over a 90° field of view.</summary>
    private static (Se3 CameraFromWorld, Vec3[] World, Vec3[] Bearings) Scene(Random random)
    {
        var axis = new Vec3(Next(random), Next(random), Next(random));
        var rotation = So3.Exp(Math.PI * random.NextDouble() * axis.Normalized());
        var pose = new Se3(rotation, new Vec3(3 * Next(random), 3 * Next(random), 3 * Next(random)));
        var world = new Vec3[3];
        var bearings = new Vec3[3];
        for (int i = 0; i < 3; i++)
        {
            double depth = 1 + 9 * random.NextDouble();
            var inCamera = depth * new Vec3(Next(random), Next(random), 1);
            bearings[i] = inCamera / inCamera.Z;
            world[i] = pose.Inverse().Act(inCamera);
        }
        return (pose, world, bearings);
    }

    private static double Next(Random random) => 2 * random.NextDouble() - 1;

    private static double PoseDistance(Se3 a, Se3 b) =>
        (a.Rotation - b.Rotation).FrobeniusNorm + (a.Translation - b.Translation).Norm / (1 + b.Translation.Norm);

    [Fact]
    public void The_true_pose_is_among_the_solutions_of_three_exact_points()
    {
        var random = new Random(11);
        var solutions = new Se3[P3p.MaxSolutions];
        for (int trial = 0; trial < 500; trial++)
        {
            var (truth, world, bearings) = Scene(random);
            int count = P3p.Solve(bearings[0], bearings[1], bearings[2], world[0], world[1], world[2], solutions);
            Assert.InRange(count, 1, P3p.MaxSolutions);
            double nearest = solutions.Take(count).Min(s => PoseDistance(s, truth));
            Assert.True(nearest < 1e-9, $"trial {trial}: nearest of {count} solutions is {nearest:E2} away");
        }
    }

    [Fact]
    public void Every_solution_is_a_rotation_that_puts_the_points_on_their_rays_in_front()
    {
        var random = new Random(12);
        var solutions = new Se3[P3p.MaxSolutions];
        int total = 0;
        for (int trial = 0; trial < 200; trial++)
        {
            var (_, world, bearings) = Scene(random);
            int count = P3p.Solve(bearings[0], bearings[1], bearings[2], world[0], world[1], world[2], solutions);
            total += count;
            for (int k = 0; k < count; k++)
            {
                var r = solutions[k].Rotation;
                Assert.True((r * r.Transpose() - Mat3.Identity).FrobeniusNorm < 1e-9, $"trial {trial}: not orthonormal");
                Assert.True(Math.Abs(r.Determinant - 1) < 1e-9);
                for (int i = 0; i < 3; i++)
                {
                    var p = solutions[k].Act(world[i]);
                    Assert.True(p.Z > 0, $"trial {trial}: point {i} behind the camera");
                    Assert.True((p / p.Z - bearings[i]).Norm < 1e-9, $"trial {trial}: point {i} off its ray by {(p / p.Z - bearings[i]).Norm:E2}");
                }
            }
        }
        // Most configurations have two solutions, some four: more than one on average shows the other roots are found too.
        Assert.True(total > 200, $"{total} solutions over 200 trials");
    }

    [Fact]
    public void Collinear_world_points_give_no_solution()
    {
        var pose = new Se3(So3.Exp(new Vec3(0.1, -0.2, 0.3)), new Vec3(0.5, -0.2, 4));
        Vec3 a = new(-1, 0.5, 1), direction = new(0.7, -0.2, 0.4);
        Vec3[] world = [a, a + direction, a + 2.5 * direction];
        var bearings = world.Select(pose.Act).ToArray();
        var solutions = new Se3[P3p.MaxSolutions];
        Assert.Equal(0, P3p.Solve(bearings[0], bearings[1], bearings[2], world[0], world[1], world[2], solutions));
    }

    [Fact]
    public void Rays_in_one_plane_give_no_solution()
    {
        // The camera centre in the plane of the three points: the triangle is seen edge-on.
        Vec3[] world = [new(-1, 0, 3), new(0.5, 0, 5), new(2, 0, 4)];
        var solutions = new Se3[P3p.MaxSolutions];
        Assert.Equal(0, P3p.Solve(world[0], world[1], world[2], world[0], world[1], world[2], solutions));
    }

    [Fact]
    public void Cubic_roots_are_found_when_one_or_three_are_real()
    {
        Span<double> roots = stackalloc double[3];
        // (x - 1)(x + 2)(x - 3.5) = x³ - 2.5 x² - 5.5 x + 7
        int n = P3p.RealCubicRoots(-2.5, -5.5, 7, roots);
        Assert.Equal(3, n);
        var sorted = roots.ToArray().Order().ToArray();
        Assert.Equal(-2, sorted[0], 1e-12);
        Assert.Equal(1, sorted[1], 1e-12);
        Assert.Equal(3.5, sorted[2], 1e-12);
        // (x - 2)(x² + x + 1) = x³ - x² - x - 2
        n = P3p.RealCubicRoots(-1, -1, -2, roots);
        Assert.Equal(1, n);
        Assert.Equal(2, roots[0], 1e-12);
    }

    [Fact]
    public void Pencil_determinant_matches_a_direct_determinant()
    {
        var a = new Mat3(1, 2, -1, 0.5, 3, 2, -2, 1, 4);
        var b = new Mat3(-1, 0.3, 2, 1, -2, 0.7, 0.1, 1.5, -1);
        var (c0, c1, c2, c3) = P3p.PencilDeterminant(a, b);
        foreach (double g in new[] { -2.0, -0.3, 0.0, 1.7, 5.0 })
            Assert.Equal((a + g * b).Determinant, c0 + g * (c1 + g * (c2 + g * c3)), 1e-9);
    }
}
