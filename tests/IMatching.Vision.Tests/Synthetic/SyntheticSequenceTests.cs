using IMatching.Geometry.Lie;
using IMatching.Vision.Datasets;
using IMatching.Vision.Synthetic;
using IMatching.Vision.Tests.TestSupport;

namespace IMatching.Vision.Tests.Synthetic;

/// <summary>The written TUM layout, the <c>synthetic:</c> data spec and its cache.</summary>
public sealed class SyntheticSequenceTests
{
    [Fact]
    public void Written_folder_reads_back_as_tum_with_exact_poses_intrinsics_and_quantised_depth()
    {
        using var data = new TempDataset("office-render");
        var rendered = SyntheticSequence.Render("office", 4, 96, 72, seed: 5, data.Root);

        var sequence = DataSpec.Parse($"tum:{data.Root}").OpenSequence();

        Assert.Equal(4, sequence.Count);
        Assert.True(sequence.HasDepth);
        Assert.Equal(rendered.Camera, sequence[0].Camera);
        Assert.Equal(rendered.TimestampsSeconds, sequence.Frames.Select(f => f.TimestampSeconds));
        var scene = RoomGenerator.Generate(SyntheticDomains.Get("office"), 5);
        var renderer = new SyntheticFrameRenderer(SyntheticDomains.Get("office"), scene, rendered.Camera, 5, supersampling: 2);
        for (int k = 0; k < 4; k++)
        {
            PoseAssert.Equal(rendered.CameraFromWorld[k], sequence[k].GroundTruthCameraFromWorld, 1e-9);
            var (image, exact) = renderer.Render(k, rendered.CameraFromWorld[k]);
            image.Dispose();
            var stored = DepthMapLoader.Load(sequence[k]);
            for (int i = 0; i < exact.Length; i++)
                Assert.True(Math.Abs(stored.Metres[i] - exact[i]) <= 0.5 / 5000 + 1e-6, $"frame {k} pixel {i}: {stored.Metres[i]} vs {exact[i]}");
        }
        Assert.Contains("domain office", File.ReadAllLines(data.PathOf("info.txt")));
        Assert.Contains("seed 5", File.ReadAllLines(data.PathOf("info.txt")));
    }

    [Fact]
    public void Synthetic_spec_renders_once_into_the_cache_and_composes_with_a_frame_range()
    {
        using var cache = new TempDataset("cache");
        var first = SyntheticCache.Open("night?frames=4&seed=3&size=64x48", cache.Root);
        string folder = Path.Combine(cache.Root, "imatching", "synthetic", $"r{SyntheticSequence.RendererVersion}", "night-4-3-64x48");
        var written = File.GetLastWriteTimeUtc(Path.Combine(folder, "rgb", "000000.png"));
        var again = SyntheticCache.Open("NIGHT?size=64x48&seed=3&frames=4", cache.Root);

        Assert.Equal("night-4-3-64x48", first.Name);
        Assert.True(first.HasDepth && first.HasGroundTruthPoses);
        Assert.Equal(written, File.GetLastWriteTimeUtc(Path.Combine(folder, "rgb", "000000.png")));
        Assert.Equal(first.Frames.Select(f => f.ImagePath), again.Frames.Select(f => f.ImagePath));
        Assert.Single(Directory.GetDirectories(Path.GetDirectoryName(folder)!));
        var poses = HandHeldTrajectory.Generate(4, 3);
        for (int k = 0; k < 4; k++) PoseAssert.Equal(poses[k], first[k].GroundTruthCameraFromWorld, 1e-9);

        // Through DataSpec, with the cache root taken from XDG_CACHE_HOME as the default.
        string? previous = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        Environment.SetEnvironmentVariable("XDG_CACHE_HOME", cache.Root);
        try
        {
            var range = DataSpec.Parse("synthetic:night?frames=4&seed=3&size=64x48#1-2").OpenSequence();
            Assert.Equal([1, 2], range.Frames.Select(f => f.SourceIndex));
            PoseAssert.Equal(poses[2], range[1].GroundTruthCameraFromWorld, 1e-9);
        }
        finally
        {
            Environment.SetEnvironmentVariable("XDG_CACHE_HOME", previous);
        }
    }

    [Theory]
    [InlineData("synthetic:mars", "synthetic domain 'mars': unknown; known domains: office, underwater, night, desert")]
    [InlineData("synthetic:office?frames=0", "frames '0' is not a positive integer")]
    [InlineData("synthetic:office?size=640", "size '640' is not WxH")]
    [InlineData("synthetic:office?seed=x", "seed 'x' is not an integer")]
    [InlineData("synthetic:office?fps=10", "unknown option 'fps'")]
    public void Synthetic_spec_refuses_unknown_domains_and_bad_options(string spec, string problem)
    {
        Assert.Contains(problem, Assert.ThrowsAny<DatasetException>(() => DataSpec.Parse(spec).OpenSequence()).Message);
    }

    [Fact]
    public void Trajectory_moves_like_a_hand_held_camera_and_keeps_clear_of_objects()
    {
        var poses = HandHeldTrajectory.Generate(300, seed: 2);
        var steps = poses.Zip(poses.Skip(1), (a, b) => (
            Metres: (a.InverseTranslation - b.InverseTranslation).Norm,
            Degrees: So3.AngleBetween(a.Rotation, b.Rotation) * 180 / Math.PI)).ToArray();

        double meanCm = 100 * steps.Average(s => s.Metres), meanDegrees = steps.Average(s => s.Degrees);
        Assert.InRange(meanCm, 1.5, 3.5);
        Assert.InRange(meanDegrees, 0.4, 2.5);
        Assert.True(steps.Max(s => s.Degrees) < 4, "no jumps");
        Assert.All(poses, p =>
        {
            var centre = p.InverseTranslation;
            Assert.InRange(Math.Sqrt(centre.X * centre.X + centre.Y * centre.Y), RoomLayout.ClusterRadiusM + 0.4, RoomLayout.WallZoneM - 0.4);
        });
        var fast = HandHeldTrajectory.Generate(300, seed: 2, speed: 2);
        Assert.InRange((fast[1].InverseTranslation - fast[0].InverseTranslation).Norm / steps[0].Metres, 1.8, 2.2);
    }
}
