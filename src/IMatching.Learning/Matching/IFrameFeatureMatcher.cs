using IMatching.Geometry.Linear;

namespace IMatching.Learning.Matching;

/// <summary>
/// A differentiable matcher whose per-frame work (backbone features, query points) is separate from its per-pair
/// head, so a caller that meets a frame in several pairs (evaluation, <c>match</c>) can do that work once.
/// </summary>
public interface IFrameFeatureMatcher : IDifferentiableMatcher
{
    IDenseBackbone Backbone { get; }

    IQuerySource Queries { get; }

    /// <summary>The predictions <see cref="IDifferentiableMatcher.Predict"/> makes for one pair, from features computed beforehand.</summary>
    /// <param name="points">The queries of frame A, as <see cref="Queries"/> finds them.</param>
    /// <param name="a">Frame A's features (single image).</param>
    /// <param name="b">Frame B's features (single image).</param>
    PairPredictions PredictPair(int frameA, int frameB, Vec2[] points, DenseFeatures a, DenseFeatures b);
}
