using IMatching.Geometry.Lie;
using IMatching.Geometry.Linear;

namespace IMatching.Geometry.BundleAdjustment.Internal;

/// <summary>
/// How a free pose moves, as a Ceres Manifold: the size of its tangent space, the update x ⊞ delta, and
/// the chain rule from the derivative of a pixel with respect to the camera-frame point to the tangent.
/// </summary>
internal interface IPoseManifold
{
    int TangentSize { get; }

    /// <summary>Refreshes whatever the tangent space depends on; called at each linearisation point.</summary>
    void Linearize(ParameterState state);

    /// <summary>x ⊞ delta, where x is this pose in <paramref name="state"/>, the linearisation point.</summary>
    Se3 Plus(ParameterState state, ReadOnlySpan<double> delta);

    /// <summary>
    /// One Jacobian row over the tangent: <paramref name="dPixelDCamera"/> is d(pixel)/d(point in the camera
    /// frame) = a, <paramref name="dPixelDWorld"/> the same row times the rotation (a R), <paramref name="pointInCamera"/> the point;
    /// the row goes to <paramref name="row"/> from <paramref name="at"/>.
    /// </summary>
    void JacobianRow(Vec3 dPixelDCamera, Vec3 dPixelDWorld, Vec3 pointInCamera, double[] row, int at);
}
