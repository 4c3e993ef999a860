namespace IMatching.Vision.Matching;

/// <summary>The OpenCV baselines by name, as model specs name them: <c>sift</c>, <c>orb</c>.</summary>
public static class ClassicalMatchers
{
    public static readonly IReadOnlyList<string> Names = ["sift", "orb"];

    public static bool TryCreate(string name, int maxFeatures, out IPairMatcher? matcher)
    {
        var options = new DescriptorMatcherOptions(maxFeatures: maxFeatures);
        matcher = name.Trim().ToLowerInvariant() switch
        {
            "sift" => new SiftMatcher(options),
            "orb" => new OrbMatcher(options),
            _ => null,
        };
        return matcher is not null;
    }
}
