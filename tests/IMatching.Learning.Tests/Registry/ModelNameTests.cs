using IMatching.Geometry;
using IMatching.Learning.Models;

namespace IMatching.Learning.Tests.Registry;

/// <summary>A learned model's name is parsed into family and head, not cut by a suffix's length.</summary>
public class ModelNameTests
{
    [Theory]
    [InlineData("alike-n", "alike-n", MatchingHead.Own)]
    [InlineData("alike-n+exp", "alike-n", MatchingHead.Expectation)]
    [InlineData("alike-t+reg", "alike-t", MatchingHead.Regression)]
    [InlineData("caps-resnet18", "caps-resnet18", MatchingHead.Own)]
    public void Names_split_into_family_and_head_and_back(string text, string family, MatchingHead head)
    {
        var name = ModelName.Parse(text);
        Assert.Equal(new ModelName(family, head), name);
        Assert.Equal(text, name.ToString());
    }

    [Fact]
    public void An_unknown_head_is_refused_by_name()
    {
        var error = Assert.Throws<UserInputException>(() => ModelName.Parse("alike-n+expectation"));
        Assert.Contains("+expectation", error.Message);
    }

    [Theory]
    [InlineData("alike-n")]
    [InlineData("caps+reg")]
    [InlineData("sift")]
    public void Names_without_a_differentiable_model_are_refused_with_the_known_ones(string name)
    {
        var error = Assert.Throws<UserInputException>(() => LearnedModels.CreateDifferentiable(new ModelSpec(name, "w.pth"), new MatcherContext()));
        Assert.Contains("not differentiable", error.Message);
        Assert.Contains("alike-n+exp", error.Message);
    }

    [Fact]
    public void Every_family_registers_its_names()
    {
        Assert.Contains("alike-l+reg", LearnedModels.DifferentiableNames);
        Assert.Contains("caps-resnet34", LearnedModels.DifferentiableNames);
        Assert.Contains(LearnedModels.CheckpointName, LearnedModels.DifferentiableNames);
        Assert.DoesNotContain("alike-n", LearnedModels.DifferentiableNames);
    }
}
