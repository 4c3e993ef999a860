using IMatching.Geometry.Linear;

namespace IMatching.Geometry.Cameras;

/// <summary>
/// Maps a point in the camera frame to a pixel, given a flat array of intrinsic parameters.
/// Stateless, so one instance serves every camera that shares the model and the solver can
/// treat intrinsics as an ordinary parameter block.
/// </summary>
public interface IProjectionModel
{
    string Name { get; }

    /// <summary>Names of the intrinsic parameters, in storage order.</summary>
    IReadOnlyList<string> ParameterNames { get; }

    /// <summary>
    /// Projects <paramref name="pointInCamera"/>. When non-empty, <paramref name="dPixelDPoint"/> receives
    /// the 2x3 row-major Jacobian and <paramref name="dPixelDIntrinsics"/> the 2xK one.
    /// </summary>
    Vec2 Project(ReadOnlySpan<double> intrinsics, Vec3 pointInCamera, Span<double> dPixelDPoint, Span<double> dPixelDIntrinsics);

    /// <summary>Whether a point in the camera frame lies in front of the camera.</summary>
    bool IsInFront(Vec3 pointInCamera);
}
