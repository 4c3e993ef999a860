using IMatching.Geometry.Lie;
using IMatching.Geometry.Linear;
using IMatching.Vision.Evaluation;

namespace IMatching.Vision.Tests.Evaluation;

public class PoseAngularErrorTests
{
    private static readonly Se3 Truth = new(Mat3.Identity, new Vec3(1, 0, 0));
    private static Vec3 Direction(double degrees) => new(Math.Cos(degrees * Math.PI / 180), Math.Sin(degrees * Math.PI / 180), 0);

    [Fact]
    public void TranslationSignIsAmbiguous()
    {
        Assert.Equal(0, PoseAngularError.TranslationDegrees(new Se3(Mat3.Identity, new Vec3(-2, 0, 0)), Truth), 9);
        Assert.Equal(30, PoseAngularError.TranslationDegrees(new Se3(Mat3.Identity, Direction(30)), Truth), 9);
        Assert.Equal(30, PoseAngularError.TranslationDegrees(new Se3(Mat3.Identity, Direction(150)), Truth), 9);
        Assert.Equal(90, PoseAngularError.TranslationDegrees(new Se3(Mat3.Identity, Direction(90)), Truth), 9);
    }

    [Fact]
    public void ErrorIsTheLargerOfRotationAndTranslation()
    {
        var rotated = So3.Exp(new Vec3(0, 0, 10 * Math.PI / 180));
        Assert.Equal(10, PoseAngularError.Degrees(new Se3(rotated, new Vec3(1, 0, 0)), Truth), 9);
        Assert.Equal(25, PoseAngularError.Degrees(new Se3(rotated, Direction(-25)), Truth), 9);
    }

    [Fact]
    public void AFailedEstimateCountsAs180Degrees() =>
        Assert.Equal(180, PoseAngularError.Degrees(null, Truth));
}
