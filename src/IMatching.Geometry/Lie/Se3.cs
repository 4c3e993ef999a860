using IMatching.Geometry.Linear;

namespace IMatching.Geometry.Lie;

/// <summary>
/// A rigid transform x' = R x + t. Name every instance by the frames it maps between
/// (e.g. <c>cameraFromWorld</c>): <c>aFromB.Compose(bFromC)</c> is <c>aFromC</c>.
/// The tangent is (upsilon, omega): translation part first, rotation second, as in Sophus.
/// </summary>
public readonly record struct Se3(Mat3 Rotation, Vec3 Translation)
{
    public static readonly Se3 Identity = new(Mat3.Identity, Vec3.Zero);

    public Se3 Compose(Se3 other) => new(Rotation * other.Rotation, Rotation * other.Translation + Translation);

    public Se3 Inverse()
    {
        var rt = Rotation.Transpose();
        return new(rt, -(rt * Translation));
    }

    public Vec3 Act(Vec3 point) => Rotation * point + Translation;

    /// <summary>For a <c>cameraFromWorld</c> transform: the camera centre in world coordinates.</summary>
    public Vec3 InverseTranslation => -Rotation.TransposeTimes(Translation);

    public static Se3 Exp(ReadOnlySpan<double> tangent)
    {
        if (tangent.Length != 6) throw new ArgumentException("SE(3) tangent has 6 entries.", nameof(tangent));
        var upsilon = new Vec3(tangent[0], tangent[1], tangent[2]);
        var omega = new Vec3(tangent[3], tangent[4], tangent[5]);
        return new(So3.Exp(omega), So3.LeftJacobian(omega) * upsilon);
    }

    public double[] Log()
    {
        var omega = So3.Log(Rotation);
        var upsilon = So3.LeftJacobianInverse(omega) * Translation;
        return [upsilon.X, upsilon.Y, upsilon.Z, omega.X, omega.Y, omega.Z];
    }

    /// <summary>The left update used by the solver: Exp(delta) * this.</summary>
    public Se3 LeftPlus(ReadOnlySpan<double> delta) => Exp(delta).Compose(this);

    /// <summary>
    /// d(Act(p)) / d(delta) for the left perturbation Exp(delta) * this, as a 3x6 row-major array:
    /// [I, -hat(R p + t)].
    /// </summary>
    public void ActJacobianLeft(Vec3 point, Span<double> jacobian3x6)
    {
        var q = Act(point);
        jacobian3x6.Clear();
        jacobian3x6[0] = 1; jacobian3x6[4] = q.Z; jacobian3x6[5] = -q.Y;
        jacobian3x6[7] = 1; jacobian3x6[9] = -q.Z; jacobian3x6[11] = q.X;
        jacobian3x6[14] = 1; jacobian3x6[15] = q.Y; jacobian3x6[16] = -q.X;
    }

    public bool IsFinite => Rotation.IsFinite && Translation.IsFinite;

    public static Se3 FromQuaternion(UnitQuaternion q, Vec3 translation) => new(q.ToRotation(), translation);
}
