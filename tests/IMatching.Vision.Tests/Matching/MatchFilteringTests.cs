using IMatching.Vision.Matching;
using IMatching.Vision.Tests.TestSupport;
using OpenCvSharp;
using Xunit.Abstractions;

namespace IMatching.Vision.Tests.Matching;

/// <summary>On a repeated pattern nearest neighbours are ambiguous; the ratio test and the mutual check must remove most wrong matches.</summary>
public sealed class MatchFilteringTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("sift")]
    [InlineData("orb")]
    public void Ratio_test_and_mutual_check_remove_outliers_on_a_repetitive_pattern(string matcherName)
    {
        using Mat imageA = SyntheticImages.Repetitive();
        using Mat imageB = SyntheticImages.Translated(imageA, 21, 13);
        var shift = Homographies.Translation(21, 13);

        var stats = new[]
        {
            ("none", new DescriptorMatcherOptions(ratio: null, mutualCheck: false)),
            ("ratio", new DescriptorMatcherOptions(mutualCheck: false)),
            ("mutual", new DescriptorMatcherOptions(ratio: null)),
            ("both", new DescriptorMatcherOptions()),
        }.ToDictionary(c => c.Item1, c =>
        {
            Correspondences m = Matchers.ByName(matcherName, c.Item2).Match(imageA, imageB, 0, 1);
            int outliers = m.Count - Homographies.CountWithin(m, shift, thresholdPx: 3);
            output.WriteLine($"{matcherName} {c.Item1}: {m.Count} matches, {outliers} outliers ({outliers / (double)Math.Max(1, m.Count):P1})");
            return (Count: m.Count, Outliers: outliers);
        });

        double OutlierFraction(string name) => stats[name].Outliers / (double)Math.Max(1, stats[name].Count);
        Assert.True(OutlierFraction("none") > 0.2, "the pattern should fool plain nearest neighbours");
        Assert.True(OutlierFraction("ratio") < OutlierFraction("none") / 2);
        Assert.True(OutlierFraction("mutual") < OutlierFraction("none"));
        Assert.True(OutlierFraction("both") <= OutlierFraction("ratio"));
        Assert.True(stats["both"].Outliers < stats["none"].Outliers / 4);
        Assert.True(stats["both"].Count >= 100, "the filters should keep the unambiguous matches");
    }
}
