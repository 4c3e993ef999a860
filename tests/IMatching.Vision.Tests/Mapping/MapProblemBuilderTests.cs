using IMatching.Geometry.Lie;
using IMatching.Geometry.Linear;
using IMatching.Geometry.RobustLosses;
using IMatching.Vision.Mapping;

namespace IMatching.Vision.Tests.Mapping;

/// <summary>The one builder of a map's BA problem: gauge, free frames, shared constant intrinsics, the map's loss.</summary>
public class MapProblemBuilderTests
{
    [Fact]
    public void GaugeFreeFramesIntrinsicsAndLossAreSetOnce()
    {
        var clip = SyntheticClip.Generate(frames: 4, correspondencesPerPair: 20);
        Se3?[] poses = [clip.CameraFromWorld[0], clip.CameraFromWorld[1], null, clip.CameraFromWorld[3]];
        var loss = new HuberLoss(2);
        var builder = new MapProblemBuilder(clip.Cameras, poses, loss, anchorFrame: 0, scaleFrame: 1, isFree: f => f != 3);
        var point = builder.Problem.AddPoint(new Vec3(0, 0, 5));
        builder.Observe(0, point, new Vec2(320, 240), 1);
        builder.Observe(1, point, new Vec2(300, 240), 0.5);
        builder.Observe(3, point, new Vec2(280, 240), 1);

        Assert.Same(loss, builder.Problem.DefaultLoss);
        Assert.Null(builder.Poses[2]);
        Assert.True(builder.Poses[0]!.IsConstant);
        Assert.False(builder.Poses[1]!.IsConstant);
        Assert.Same(builder.Poses[0], builder.Poses[1]!.ScaleAnchor);
        Assert.True(builder.Poses[3]!.IsConstant);
        Assert.Single(builder.Problem.Intrinsics);
        Assert.True(builder.Problem.Intrinsics[0].IsConstant);
        Assert.Equal(0.5, builder.Problem.Observations[1].Weight);
        Assert.Throws<ArgumentException>(() => builder.Observe(2, point, new Vec2(1, 1), 1));
    }
}
