using IMatching.Geometry.Cameras;
using IMatching.Learning.Matching;
using IMatching.Learning.Training;
using IMatching.Vision.Mapping;

namespace IMatching.Learning.Objectives;

/// <summary>
/// <c>ba-cost</c>: the BA's own robust cost of the surviving predictions (<see cref="ImperativeLoss"/>), whose fine-level
/// gradient is exactly the envelope gradient of the optimal BA cost.
/// </summary>
public sealed class BaCostObjective(double coarseWeight = 1) : IImperativeObjective
{
    public const string OptionName = "ba-cost";
    public string Name => OptionName;
    public double CoarseWeight { get; } = coarseWeight;

    public ObjectiveValue Compute(IReadOnlyList<PairPredictions> predictions, MapResult map, IReadOnlyList<PinholeCamera> cameras)
    {
        var camera = cameras[0];
        var value = ImperativeLoss.Compute(predictions, map, Math.Max(camera.Width, camera.Height), CoarseWeight);
        value.FineLoss.Dispose();
        value.CoarseLoss.Dispose();
        return new ObjectiveValue(value.Loss, value.Observations);
    }
}
