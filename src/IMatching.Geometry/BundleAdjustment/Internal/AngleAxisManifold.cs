using IMatching.Geometry.Lie;
using IMatching.Geometry.Linear;

namespace IMatching.Geometry.BundleAdjustment.Internal;

/// <summary>
/// <see cref="PoseUpdate.AngleAxis"/>: the rotation's angle-axis vector w and the translation t of cameraFromWorld
/// (P = Exp(w) X + t) move additively, as in Ceres' BAL example; tangent (rotation, translation), 6 degrees of freedom.
/// </summary>
internal sealed class AngleAxisManifold(int pose) : IPoseManifold
{
    private Vec3 _angleAxis, _translation;
    private Mat3 _leftJacobian;

    public int TangentSize => 6;

    /// <summary>w at the linearisation point, and Jl(w), which maps a change of w to the rotation's left perturbation.</summary>
    public void Linearize(ParameterState state)
    {
        var cameraFromWorld = state.CameraFromWorld[pose];
        _angleAxis = So3.Log(cameraFromWorld.Rotation);
        _translation = cameraFromWorld.Translation;
        _leftJacobian = So3.LeftJacobian(_angleAxis);
    }

    /// <summary>(w + d, t + d) from the w and t kept by <see cref="Linearize"/>: <paramref name="state"/> is that point.</summary>
    public Se3 Plus(ParameterState state, ReadOnlySpan<double> delta)
    {
        var t = _translation;
        return new Se3(So3.Exp(_angleAxis + new Vec3(delta[0], delta[1], delta[2])), new Vec3(t.X + delta[3], t.Y + delta[4], t.Z + delta[5]));
    }

    /// <summary>
    /// Exp(w + d) X ~ Exp(Jl(w) d) R X, so d(pc)/d(w) = -hat(R X) Jl(w) with R X = pc - t, and the rotation columns are
    /// Jl(w)^T ((pc - t) x a); d(pc)/d(t) = I gives a.
    /// </summary>
    public void JacobianRow(Vec3 dPixelDCamera, Vec3 dPixelDWorld, Vec3 pointInCamera, double[] row, int at)
    {
        var a = dPixelDCamera;
        var w = _leftJacobian.TransposeTimes((pointInCamera - _translation).Cross(a));
        row[at] = w.X; row[at + 1] = w.Y; row[at + 2] = w.Z;
        row[at + 3] = a.X; row[at + 4] = a.Y; row[at + 5] = a.Z;
    }
}
