using IMatching.Geometry.Lie;
using IMatching.Geometry.Linear;

namespace IMatching.Geometry.BundleAdjustment.Internal;

/// <summary>SE(3) with the left perturbation Exp(delta) * T, delta = (translation, rotation): 6 degrees of freedom.</summary>
internal sealed class Se3Manifold(int pose) : IPoseManifold
{
    public int TangentSize => 6;

    public void Linearize(ParameterState state) { }

    public Se3 Plus(ParameterState state, ReadOnlySpan<double> delta) => state.CameraFromWorld[pose].LeftPlus(delta);

    /// <summary>d(pc)/d(translation) = I and d(pc)/d(rotation) = -hat(pc), so the row is [a, pc x a].</summary>
    public void JacobianRow(Vec3 dPixelDCamera, Vec3 dPixelDWorld, Vec3 pointInCamera, double[] row, int at)
    {
        var a = dPixelDCamera;
        var w = pointInCamera.Cross(a);
        row[at] = a.X; row[at + 1] = a.Y; row[at + 2] = a.Z;
        row[at + 3] = w.X; row[at + 4] = w.Y; row[at + 5] = w.Z;
    }
}
