using IMatching.Geometry;
using IMatching.Vision.Features;

namespace IMatching.Vision.Tests.Features;

public sealed class KeypointDetectorSpecTests
{
    [Theory]
    [InlineData("sift:2000", KeypointDetectorKind.Sift, 2000)]
    [InlineData("orb:1000", KeypointDetectorKind.Orb, 1000)]
    [InlineData("fast:1000", KeypointDetectorKind.Fast, 1000)]
    [InlineData("grid:16", KeypointDetectorKind.Grid, 16)]
    [InlineData(" SIFT : 500 ", KeypointDetectorKind.Sift, 500)]
    public void Parses_kind_and_value(string text, KeypointDetectorKind kind, int value)
    {
        KeypointDetectorSpec spec = KeypointDetectorSpec.Parse(text);

        Assert.Equal((kind, value), (spec.Kind, spec.Value));
        Assert.Equal(spec, KeypointDetectorSpec.Parse(spec.ToString()));
    }

    [Theory]
    [InlineData("", "expected sift:N")]
    [InlineData("sift", "expected sift:N")]
    [InlineData("sift:", "expected sift:N")]
    [InlineData("sift:10:20", "expected sift:N")]
    [InlineData("surf:100", "unknown kind 'surf'")]
    [InlineData("orb:many", "point count 'many' is not a positive integer")]
    [InlineData("fast:0", "point count '0' is not a positive integer")]
    [InlineData("fast:-5", "point count '-5' is not a positive integer")]
    [InlineData("grid:1.5", "step '1.5' is not a positive integer")]
    [InlineData("sift:99999999999", "not a positive integer")]
    public void Rejects_malformed_specs_with_the_reason(string text, string reason)
    {
        var error = Assert.Throws<UserInputException>(() => KeypointDetectorSpec.Parse(text));

        Assert.Contains(reason, error.Message);
        Assert.Contains($"'{text}'", error.Message);
    }

    [Fact]
    public void Creates_the_detector_it_names()
    {
        Assert.Equal("orb:300", KeypointDetectorSpec.Parse("orb:300").CreateDetector().Name);
        var grid = Assert.IsType<GridKeypointGenerator>(KeypointDetectorSpec.Parse("grid:16").CreateDetector(borderMarginPx: 4));
        Assert.Equal((16, 4), (grid.StepPx, grid.BorderMarginPx));
        var sift = Assert.IsType<OpenCvKeypointDetector>(KeypointDetectorSpec.Parse("sift:50").CreateDetector(buckets: new Buckets(4, 3)));
        Assert.Equal(new KeypointSelectionOptions(50, KeypointSelectionOptions.DefaultBorderMarginPx, new Buckets(4, 3)), sift.Options);
    }
}
