using IMatching.Geometry;
using IMatching.Learning.Backbones;
using IMatching.Learning.Backbones.Alike;
using IMatching.Learning.Matching;
using IMatching.Learning.Models;

namespace IMatching.Learning.Tests.Matching;

/// <summary>Learned model specs through <see cref="MatcherFactory"/> and their error paths.</summary>
public class LearnedModelFactoryTests
{
    private static string AlikeT => MatchingFixtures.AlikeWeights(AlikeVariant.Tiny);

    [Fact]
    public void Factory_knows_every_learned_name_without_an_explicit_registration_call()
    {
        foreach (string name in new[] { "alike-t", "alike-s", "alike-n", "alike-l", "alike-t+exp", "alike-l+exp", "alike-n+reg", "caps", "caps-resnet18" })
            Assert.Contains(name, MatcherFactory.Names);
    }

    [Theory]
    [InlineData("alike-s", typeof(UserInputException))]
    [InlineData("alike-l+exp", typeof(UserInputException))]
    [InlineData("caps", typeof(UserInputException))]
    [InlineData("alike-n+exp:/nonexistent/alike-n.pth", typeof(UserInputException))]
    [InlineData("alike-x+exp:/x.pth", typeof(UserInputException))]
    public void Bad_specs_are_refused_clearly(string spec, Type expected)
    {
        var error = Assert.Throws(expected, () => MatcherFactory.Create(spec));
        Assert.Contains(ModelSpec.Parse(spec).Name, error.Message);
    }

    [Fact]
    public void Weights_of_another_variant_are_refused_by_name()
    {
        var error = Assert.Throws<StateDictMismatchException>(() => MatcherFactory.Create($"alike-n+exp:{AlikeT}"));
        Assert.Contains("alike-t.pth", error.Message);
    }

    [Theory]
    [InlineData("alike:0")]
    [InlineData("alike:many")]
    [InlineData("surf:100")]
    [InlineData("grid")]
    public void Bad_query_options_are_refused(string queries)
    {
        var error = Assert.Throws<UserInputException>(() => MatcherFactory.Create($"alike-t+exp:{AlikeT}", new MatcherContext { Queries = queries }));
        Assert.Contains(queries.Split(':')[0], error.Message);
    }

    [Fact]
    public void Caps_refuses_alike_queries_it_has_no_score_map_for()
    {
        var error = Assert.Throws<UserInputException>(() =>
            MatcherFactory.Create($"caps-resnet18:{MatchingFixtures.CapsRandomWeights}", new MatcherContext { Queries = "alike:100" }));
        Assert.Contains("score map", error.Message);
    }

    [Theory]
    [InlineData("alike:500", typeof(AlikeQuerySource), "alike:500")]
    [InlineData(" SIFT:1000 ", typeof(DetectorQuerySource), "sift:1000")]
    [InlineData("grid:16", typeof(DetectorQuerySource), "grid:16")]
    public void Query_options_parse(string text, Type type, string name)
    {
        IQuerySource source = QuerySources.Parse(text);
        Assert.IsType(type, source);
        Assert.Equal(name, source.Name);
    }

    [Fact]
    public void Learned_specs_build_the_matchers_they_name()
    {
        var context = new MatcherContext { MaxFeatures = 200 };
        using (var mnn = (IDisposable)MatcherFactory.Create($"alike-t:{AlikeT}", context))
            Assert.IsType<AlikeMutualNearestNeighbourMatcher>(mnn);
        using var exp = Assert.IsType<DifferentiablePairMatcher>(MatcherFactory.Create($"alike-t+exp:{AlikeT}", context));
        var expectation = Assert.IsType<ExpectationMatcher>(exp.Matcher);
        Assert.Equal("alike:200", expectation.Queries.Name);
        using var reg = Assert.IsType<DifferentiablePairMatcher>(MatcherFactory.Create($"alike-t+reg:{AlikeT}", context with { Queries = "orb:300" }));
        Assert.Equal("orb:300", Assert.IsType<RegressionMatcher>(reg.Matcher).Queries.Name);
    }

    [Fact]
    public void Regression_heads_built_on_several_threads_at_once_are_identical()
    {
        // Each head draws its weights from a generator of its own: heads made at the same time (and other code using
        // the global generator meanwhile, as test classes running in parallel do) cannot interleave their draws.
        var heads = new RegressionNetwork[96];
        Parallel.For(0, heads.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i => heads[i] = new RegressionNetwork(64, 9));
        try
        {
            var first = heads[0].state_dict();
            foreach (var head in heads.Skip(1))
                foreach (var (name, value) in head.state_dict())
                    Assert.True(value.equal(first[name]).all().item<bool>(), $"{name} differs between heads built at once");
        }
        finally
        {
            foreach (var head in heads) head.Dispose();
        }
    }

    [Fact]
    public void Regression_head_is_seeded_has_pytorch_names_and_round_trips_through_a_checkpoint()
    {
        using var first = new RegressionNetwork(64, 9);
        using var second = new RegressionNetwork(64, 9);
        var keys = first.state_dict().Keys.ToList();
        Assert.Equal(["regressor.0.weight", "regressor.0.bias", "regressor.2.weight", "regressor.2.bias",
            "regressor.4.weight", "regressor.4.bias", "regressor.7.weight", "regressor.7.bias"], keys);
        Assert.True(first.state_dict()["regressor.0.weight"].allclose(second.state_dict()["regressor.0.weight"], 0, 0));

        string path = Path.Combine(Path.GetTempPath(), $"imatching-head-{Guid.NewGuid():N}.pth");
        try
        {
            using var other = new RegressionNetwork(64, 9, seed: 7);
            other.Save(path);
            using var loaded = RegressionNetwork.Load(path, 64, 9);
            Assert.True(loaded.state_dict()["regressor.7.weight"].allclose(other.state_dict()["regressor.7.weight"], 0, 0));
            Assert.False(loaded.state_dict()["regressor.7.weight"].allclose(first.state_dict()["regressor.7.weight"], 0, 0));
            Assert.Throws<StateDictMismatchException>(() => RegressionNetwork.Load(path, 128, 9));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
