using IMatching.Geometry.Linear;
using static TorchSharp.torch;

namespace IMatching.Learning.Matching;

/// <summary>Chooses the query points of a reference frame (pixels; they are inputs, never learned).</summary>
public interface IQuerySource
{
    string Name { get; }

    /// <summary>True when <see cref="Find"/> reads <see cref="DenseFeatures.Scores"/>, which only detector backbones have.</summary>
    bool NeedsScoreMap { get; }

    /// <param name="image">1x3xHxW RGB float32 in [0, 1].</param>
    /// <param name="features">The backbone's output for that image.</param>
    Vec2[] Find(Tensor image, DenseFeatures features);
}
