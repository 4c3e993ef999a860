using IMatching.Geometry;
namespace IMatching.Learning.Models;

/// <summary>The matching head a model name asks for after its family: none (the family's own matcher), <c>+exp</c> or <c>+reg</c>.</summary>
public enum MatchingHead
{
    /// <summary>No suffix: the family's own matcher (ALIKE: keypoints and mutual nearest neighbours; CAPS: its expectation head).</summary>
    Own,
    /// <summary><c>+exp</c>: the expectation head (coarse-to-fine soft-argmax over dense descriptors).</summary>
    Expectation,
    /// <summary><c>+reg</c>: the regression head (a small network on descriptor correlations).</summary>
    Regression,
}

/// <summary>A learned model's name split into its network family (<c>alike-n</c>, <c>caps</c>) and its head.</summary>
public sealed record ModelName(string Family, MatchingHead Head)
{
    private const string ExpectationSuffix = "exp";
    private const string RegressionSuffix = "reg";

    /// <exception cref="UserInputException">The part after '+' names no head.</exception>
    public static ModelName Parse(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        int plus = name.IndexOf('+');
        if (plus < 0) return new ModelName(name, MatchingHead.Own);
        var head = name[(plus + 1)..] switch
        {
            ExpectationSuffix => MatchingHead.Expectation,
            RegressionSuffix => MatchingHead.Regression,
            var other => throw new UserInputException($"model '{name}'", $"unknown head '+{other}' (known: +{ExpectationSuffix}, +{RegressionSuffix})"),
        };
        return new ModelName(name[..plus], head);
    }

    public override string ToString() => Head switch
    {
        MatchingHead.Expectation => $"{Family}+{ExpectationSuffix}",
        MatchingHead.Regression => $"{Family}+{RegressionSuffix}",
        _ => Family,
    };
}
