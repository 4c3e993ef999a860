using IMatching.Vision.Features;
using IMatching.Vision.Synthetic;
using IMatching.Vision.Tests.TestSupport;
using OpenCvSharp;

namespace IMatching.Vision.Tests.Synthetic;

/// <summary>Renders are reproducible, textured enough to match, and the domains look different.</summary>
public sealed class SyntheticAppearanceTests
{
    [Fact]
    public void Same_seed_gives_identical_bytes_and_another_seed_does_not()
    {
        using var a = new TempDataset("a");
        using var b = new TempDataset("b");
        using var c = new TempDataset("c");
        SyntheticSequence.Render("underwater", 2, 64, 48, seed: 9, a.Root);
        SyntheticSequence.Render("underwater", 2, 64, 48, seed: 9, b.Root);
        SyntheticSequence.Render("underwater", 2, 64, 48, seed: 10, c.Root);

        foreach (string file in new[] { "rgb/000000.png", "rgb/000001.png", "depth/000001.png", "groundtruth.txt", "camera.txt" })
            Assert.Equal(File.ReadAllBytes(a.PathOf(file)), File.ReadAllBytes(b.PathOf(file)));
        Assert.NotEqual(File.ReadAllBytes(a.PathOf("rgb/000001.png")), File.ReadAllBytes(c.PathOf("rgb/000001.png")));
    }

    [Fact]
    public void Domains_differ_clearly_in_colour_brightness_and_contrast()
    {
        var stats = SyntheticDomains.Names.ToDictionary(name => name, name =>
        {
            using var views = new SyntheticViews(name, frames: 1);
            Cv2.MeanStdDev(views.Images[0], out Scalar mean, out _);
            using var grey = GreyImage.From(views.Images[0]);
            Cv2.MeanStdDev(grey, out Scalar greyMean, out Scalar greyStd);
            return (B: mean.Val0, G: mean.Val1, R: mean.Val2, Grey: greyMean.Val0, Contrast: greyStd.Val0);
        });
        var (office, underwater, night, desert) = (stats["office"], stats["underwater"], stats["night"], stats["desert"]);

        Assert.True(night.Grey < 0.5 * office.Grey, $"night {night.Grey:F0} is not dark next to office {office.Grey:F0}");
        Assert.True(underwater.B > 1.3 * underwater.R && underwater.G > 1.3 * underwater.R, $"underwater is not blue-green: {underwater}");
        Assert.True(underwater.Contrast < 0.7 * office.Contrast, $"underwater contrast {underwater.Contrast:F1} vs office {office.Contrast:F1}");
        Assert.True(desert.R > 1.3 * desert.B, $"desert is not warm: {desert}");
        Assert.True(desert.Contrast > office.Contrast, $"desert contrast {desert.Contrast:F1} vs office {office.Contrast:F1}");
        foreach (var (x, y) in stats.Keys.SelectMany(x => stats.Keys.Where(y => string.CompareOrdinal(x, y) < 0).Select(y => (x, y))))
        {
            double colourDistance = Math.Abs(stats[x].R - stats[y].R) + Math.Abs(stats[x].G - stats[y].G) + Math.Abs(stats[x].B - stats[y].B);
            Assert.True(colourDistance > 30, $"{x} and {y} have similar mean colours ({colourDistance:F0} levels apart)");
        }
    }

    [Fact]
    public void A_full_size_frame_has_plenty_of_sift_keypoints()
    {
        using var views = new SyntheticViews("office", frames: 1, width: 640, height: 480);

        var points = KeypointDetectorSpec.Parse("sift:10000").CreateDetector().Detect(views.Images[0]);

        Assert.True(points.Count > 300, $"SIFT found only {points.Count} keypoints");
    }
}
