using System.Globalization;
using IMatching.Geometry.Linear;
using IMatching.Learning.Models;
using Xunit.Abstractions;

namespace IMatching.Learning.Tests.Matching;

/// <summary>A real viewpoint change with known geometry: Oxford graf img1 to img2 (about 20 degrees).</summary>
public class GrafHomographyTests(ITestOutputHelper output)
{
    [Fact]
    [Trait("Category", "Long")]
    public void Alike_n_expectation_lands_most_predictions_within_3_px_of_the_homography()
    {
        using var a = MatchingFixtures.Read(Path.Combine(MatchingFixtures.Graf, "img1.png"));
        using var b = MatchingFixtures.Read(Path.Combine(MatchingFixtures.Graf, "img2.png"));
        double[] h = [.. File.ReadAllText(Path.Combine(MatchingFixtures.Graf, "H1to2p"))
            .Split((char[])[' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries)
            .Select(s => double.Parse(s, CultureInfo.InvariantCulture))];
        string spec = $"alike-n+exp:{MatchingFixtures.AlikeWeights(IMatching.Learning.Backbones.Alike.AlikeVariant.Normal)}";
        var matcher = MatcherFactory.Create(spec, new MatcherContext { MaxFeatures = 1000 });
        try
        {
            var matches = matcher.Match(a, b, 0, 1);
            var errors = Enumerable.Range(0, matches.Count)
                .Select(i => (Query: matches.PointsA[i], Predicted: matches.PointsB[i], Truth: Apply(h, matches.PointsA[i])))
                .Where(m => m.Truth.X >= 0 && m.Truth.Y >= 0 && m.Truth.X <= b.Width - 1 && m.Truth.Y <= b.Height - 1)
                .Select(m => (m.Predicted - m.Truth).Norm)
                .ToList();
            double within3 = errors.Count(e => e < 3) / (double)errors.Count;
            // A uniformly random point of the 800x640 image falls within 3 px with probability pi * 9 / 512000.
            double chance = Math.PI * 9 / (b.Width * b.Height);
            output.WriteLine(FormattableString.Invariant(
                $"{errors.Count} queries visible in img2: {within3:P1} within 3 px (chance {chance:P4}), within 1 px {errors.Count(e => e < 1) / (double)errors.Count:P1}"));

            Assert.True(errors.Count > 800);
            // Measured 63.8 %; the off-the-shelf descriptors were never trained with this head.
            Assert.True(within3 > 0.5, $"only {within3:P1} within 3 px");
        }
        finally
        {
            (matcher as IDisposable)?.Dispose();
        }
    }

    private static Vec2 Apply(double[] h, Vec2 p)
    {
        double w = h[6] * p.X + h[7] * p.Y + h[8];
        return new Vec2((h[0] * p.X + h[1] * p.Y + h[2]) / w, (h[3] * p.X + h[4] * p.Y + h[5]) / w);
    }
}
