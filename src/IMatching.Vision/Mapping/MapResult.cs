using IMatching.Geometry.Lie;
using IMatching.Geometry.Linear;
using IMatching.Geometry.RobustLosses;

namespace IMatching.Vision.Mapping;

/// <summary>Which end of a correspondence an observation came from: the query (frame A) or the match (frame B).</summary>
public enum CorrespondenceSide { A, B }

/// <summary>
/// One observation of a landmark after mapping: where it was seen, which correspondence it came from
/// (<see cref="OriginId"/>, the id the correspondence carried in, and which end of it), the weight of its BA
/// residual, where the final map reprojects the landmark (a constant for the upper level), the distance
/// between the two and whether it survived trimming.
/// </summary>
public sealed record MapObservation(int Frame, int Landmark, Vec2 PixelPx, long OriginId, CorrespondenceSide Side, double Weight, Vec2 ReprojectedPx, double ResidualPx, bool IsInlier);

public enum MappingFailureReason
{
    TooFewMatches,
    /// <summary>No pair moved enough for depth: no motion or a pure rotation.</summary>
    InsufficientParallax,
    InitializationFailed,
    TooFewLandmarks,
    BundleAdjustmentFailed,
    /// <summary>The final BA hit its iteration limit: the map is not an optimum, so the envelope gradient would be wrong.</summary>
    Unconverged,
}

/// <summary>Why a clip could not be mapped; the trainer counts these per reason.</summary>
public sealed record MappingFailure(MappingFailureReason Reason, string Detail);

/// <summary>
/// Poses (<c>cameraFromWorld</c>, null for frames that could not be registered), landmarks and the
/// observations with their origins. The gauge: the first initial frame at the identity, the distance
/// between the two initial frames' centres is 1. <see cref="FinalCost"/> is the BA objective over the
/// inlier observations: 0.5 <see cref="Loss"/>(weight |reprojection - pixel|^2) summed (null: the plain square).
/// </summary>
public sealed record MapResult(Se3?[] CameraFromWorld, Vec3[] Landmarks, MapObservation[] Observations, int InitialFrameA, int InitialFrameB, double FinalCost, LossFunction? Loss)
{
    public int RegisteredFrames => CameraFromWorld.Count(p => p is not null);
    public IEnumerable<MapObservation> Inliers => Observations.Where(o => o.IsInlier);
    public double InlierRatio => Observations.Length == 0 ? 0 : Observations.Count(o => o.IsInlier) / (double)Observations.Length;
    public double InlierRmsPx
    {
        get
        {
            var e = Inliers.Select(o => o.ResidualPx * o.ResidualPx).ToArray();
            return e.Length == 0 ? double.NaN : Math.Sqrt(e.Average());
        }
    }
}

/// <summary>Either a map or a typed failure.</summary>
public readonly struct MappingOutcome
{
    private MappingOutcome(MapResult? map, MappingFailure? failure) { Map = map; Failure = failure; }
    public MapResult? Map { get; }
    public MappingFailure? Failure { get; }
    public bool Succeeded => Map is not null;
    public static implicit operator MappingOutcome(MapResult map) => new(map, null);
    public static implicit operator MappingOutcome(MappingFailure failure) => new(null, failure);
}
