using IMatching.Geometry.Lie;

namespace IMatching.Vision.Evaluation;

/// <summary>
/// The relative pose error of SuperGlue and LoFTR: the larger of the rotation angle error and the angle
/// between translation directions, in degrees. Two views fix the translation only up to sign, so a direction
/// off by more than 90 degrees counts as its supplement.
/// </summary>
public static class PoseAngularError
{
    /// <summary>What a pair whose pose could not be estimated counts as.</summary>
    public const double FailureDegrees = 180;

    public static double RotationDegrees(Se3 estimatedBFromA, Se3 trueBFromA) =>
        So3.AngleBetween(estimatedBFromA.Rotation, trueBFromA.Rotation) * 180 / Math.PI;

    /// <summary>Angle between translation directions folded into [0, 90]; 0 when either translation is zero (pure rotation leaves nothing to compare).</summary>
    public static double TranslationDegrees(Se3 estimatedBFromA, Se3 trueBFromA)
    {
        double norms = estimatedBFromA.Translation.Norm * trueBFromA.Translation.Norm;
        if (norms == 0) return 0;
        double cos = Math.Clamp(estimatedBFromA.Translation.Dot(trueBFromA.Translation) / norms, -1, 1);
        double degrees = Math.Acos(cos) * 180 / Math.PI;
        return Math.Min(degrees, 180 - degrees);
    }

    public static double Degrees(Se3? estimatedBFromA, Se3 trueBFromA) => estimatedBFromA is { } estimate
        ? Math.Max(RotationDegrees(estimate, trueBFromA), TranslationDegrees(estimate, trueBFromA))
        : FailureDegrees;
}
