using IMatching.Geometry.Lie;
using IMatching.Vision.Datasets;
using IMatching.Vision.Tests.TestSupport;

namespace IMatching.Vision.Tests.Datasets;

/// <summary>The readers on the real data in <c>../shared/data</c> (small slices, so these stay fast).</summary>
public sealed class RealDataTests
{
    private static string Data(string name) => Path.Combine(RepoPaths.Shared, "data", name);

    [Fact]
    public void Tum_fr2_desk_has_20_posed_frames_with_the_camera_txt_intrinsics()
    {
        var sequence = DataSpec.Parse($"tum:{Data("tum_fr2_desk")}").OpenSequence();

        Assert.Equal(20, sequence.Count);
        Assert.True(sequence.HasGroundTruthPoses);
        Assert.False(sequence.HasDepth);
        Assert.Equal([520.908620, 521.007327, 325.141442, 249.701764, 0.231222, -0.784899, -0.003257, -0.000105, 0.917205], sequence[0].Camera.ToParameters());
        Assert.Equal((640, 480), (sequence[0].Camera.Width, sequence[0].Camera.Height));
        // README: about 2.8 cm between consecutive frames, 32 cm first to last.
        double step = (sequence[1].GroundTruthCameraFromWorld!.Value.InverseTranslation - sequence[0].GroundTruthCameraFromWorld!.Value.InverseTranslation).Norm;
        double total = (sequence[19].GroundTruthCameraFromWorld!.Value.InverseTranslation - sequence[0].GroundTruthCameraFromWorld!.Value.InverseTranslation).Norm;
        Assert.InRange(step, 0.015, 0.045);
        Assert.InRange(total, 0.25, 0.4);
    }

    [Fact]
    public void Tum_range_12_19_gives_8_frames()
    {
        var full = DataSpec.Parse($"tum:{Data("tum_fr2_desk")}").OpenSequence();
        var sequence = DataSpec.Parse($"tum:{Data("tum_fr2_desk")}#12-19").OpenSequence();

        Assert.Equal(8, sequence.Count);
        Assert.Equal((0, 12), (sequence[0].Index, sequence[0].SourceIndex));
        Assert.Equal(full[19].ImagePath, sequence[7].ImagePath);
    }

    [Fact]
    public void Kitti_has_51_frames_starting_at_identity()
    {
        var sequence = DataSpec.Parse($"kitti:{Data("kitti_odometry_51")}").OpenSequence();

        Assert.Equal(51, sequence.Count);
        Assert.Equal((718.856, 718.856, 607.1928, 185.2157), (sequence[0].Camera.Fx, sequence[0].Camera.Fy, sequence[0].Camera.Cx, sequence[0].Camera.Cy));
        Assert.Equal((1241, 376), (sequence[0].Camera.Width, sequence[0].Camera.Height));
        PoseAssert.Equal(Se3.Identity, sequence[0].GroundTruthCameraFromWorld, 1e-6);
        Assert.Equal(5.0, sequence[50].TimestampSeconds, 12);
        // README: about 1 m per frame, 60 m in all; forward is camera z.
        Assert.InRange(sequence[1].GroundTruthCameraFromWorld!.Value.InverseTranslation.Norm, 0.8, 1.2);
    }

    [Fact]
    public void Graf_has_5_homographies()
    {
        var set = DataSpec.Parse($"homography:{Data("graf")}").OpenHomographySet();

        Assert.Equal(5, set.Count);
        Assert.EndsWith("img1.png", set.ReferenceImagePath);
        Assert.Equal(0.87976964, set.Homographies[0][0], 8);
    }
}
