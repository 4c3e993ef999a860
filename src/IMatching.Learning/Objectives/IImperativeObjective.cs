using IMatching.Geometry.Cameras;
using IMatching.Learning.Matching;
using IMatching.Vision.Mapping;
using static TorchSharp.torch;

namespace IMatching.Learning.Objectives;

/// <summary>
/// What imperative learning minimises once a clip is mapped: a function of the predictions with the map (poses,
/// landmarks, surviving observations) held constant. Chosen by <c>--objective</c>.
/// </summary>
public interface IImperativeObjective
{
    /// <summary>The option value that names it.</summary>
    string Name { get; }

    /// <param name="cameras">The clip's cameras, by frame.</param>
    ObjectiveValue Compute(IReadOnlyList<PairPredictions> predictions, MapResult map, IReadOnlyList<PinholeCamera> cameras);
}

/// <summary>A scalar loss attached to the predictions' graph and the number of surviving observations it used.</summary>
public sealed record ObjectiveValue(Tensor Loss, int Observations) : IDisposable
{
    public void Dispose() => Loss.Dispose();
}
