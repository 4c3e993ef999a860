using IMatching.Vision.Matching;

namespace IMatching.Vision.Tests.Matching;

/// <summary>The matchers under test, by the name a theory row gives.</summary>
internal static class Matchers
{
    public static IPairMatcher ByName(string name, DescriptorMatcherOptions? options = null) => name switch
    {
        "sift" => new SiftMatcher(options),
        "orb" => new OrbMatcher(options),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "sift or orb"),
    };
}
