using IMatching.Geometry.Lie;
using IMatching.Geometry.Linear;

namespace IMatching.Geometry.BundleAdjustment.Internal;

/// <summary>
/// The pose that <see cref="Problem.FixScale"/> ties to an anchor: a free rotation and a centre that stays on
/// the sphere of radius <paramref name="radius"/> around the anchor's centre (5 degrees of freedom). The
/// tangent (rotation, two centre directions) uses a basis of the sphere's tangent plane at the linearisation point.
/// </summary>
internal sealed class CentreOnSphereManifold(int pose, int anchor, double radius) : IPoseManifold
{
    private Vec3 _b1, _b2;

    public int Anchor => anchor;
    public int TangentSize => 5;

    public void Linearize(ParameterState state)
    {
        var d = Offset(state).Normalized();
        var helper = Math.Abs(d.X) < 0.9 ? new Vec3(1, 0, 0) : new Vec3(0, 1, 0);
        _b1 = d.Cross(helper).Normalized();
        _b2 = d.Cross(_b1);
    }

    /// <summary>Rotation by the left perturbation Exp(w) R; the centre moved in the tangent plane, then projected back onto the sphere.</summary>
    public Se3 Plus(ParameterState state, ReadOnlySpan<double> delta)
    {
        var t = state.CameraFromWorld[pose];
        var rotation = So3.Exp(new Vec3(delta[0], delta[1], delta[2])) * t.Rotation;
        var moved = Offset(state) + delta[3] * _b1 + delta[4] * _b2;
        var centre = AnchorCentre(state) + radius * moved.Normalized();
        return new Se3(rotation, -(rotation * centre));
    }

    /// <summary>Rotation columns pc x a; a centre move c changes pc by -R c, so the centre columns are -(a R) . b.</summary>
    public void JacobianRow(Vec3 dPixelDCamera, Vec3 dPixelDWorld, Vec3 pointInCamera, double[] row, int at)
    {
        var w = pointInCamera.Cross(dPixelDCamera);
        row[at] = w.X; row[at + 1] = w.Y; row[at + 2] = w.Z;
        row[at + 3] = -dPixelDWorld.Dot(_b1);
        row[at + 4] = -dPixelDWorld.Dot(_b2);
    }

    private Vec3 AnchorCentre(ParameterState state) => state.CameraFromWorld[anchor].InverseTranslation;

    private Vec3 Offset(ParameterState state) => state.CameraFromWorld[pose].InverseTranslation - AnchorCentre(state);
}
