using IMatching.Geometry.Linear;

namespace IMatching.Geometry.Lie;

/// <summary>
/// The rotation group: exponential and logarithm maps and their Jacobians, with series expansions
/// where the closed forms lose precision (small angles) and a quaternion route for angles near pi.
/// </summary>
public static class So3
{
    private const double SmallAngleSquared = 1e-10;

    public static Mat3 Exp(Vec3 omega)
    {
        double theta2 = omega.SquaredNorm;
        double a, b;
        if (theta2 < SmallAngleSquared)
        {
            a = 1 - theta2 / 6;
            b = 0.5 - theta2 / 24;
        }
        else
        {
            double theta = Math.Sqrt(theta2);
            a = Math.Sin(theta) / theta;
            b = OneMinusCosOverThetaSquared(theta);
        }
        var w = Mat3.Hat(omega);
        return Mat3.Identity + a * w + b * (w * w);
    }

    /// <summary>Rotation vector with angle in [0, pi]. Goes through the quaternion, which stays well conditioned near pi.</summary>
    public static Vec3 Log(Mat3 rotation)
    {
        var q = UnitQuaternion.FromRotation(rotation);
        var v = new Vec3(q.X, q.Y, q.Z);
        double n2 = v.SquaredNorm;
        if (n2 < SmallAngleSquared)
        {
            // theta = 2 atan(n / w) ~ 2 n / w (1 - n^2 / (3 w^2))
            double w2 = q.W * q.W;
            return (2 / q.W * (1 - n2 / (3 * w2))) * v;
        }
        double n = Math.Sqrt(n2);
        double theta = 2 * Math.Atan2(n, q.W);
        return (theta / n) * v;
    }

    /// <summary>Left Jacobian: Exp(w + d) ~ Exp(Jl(w) d) Exp(w). Also maps the SE(3) tangent translation.</summary>
    public static Mat3 LeftJacobian(Vec3 omega)
    {
        double theta2 = omega.SquaredNorm;
        double a, b;
        if (theta2 < SmallAngleSquared)
        {
            a = 0.5 - theta2 / 24;
            b = 1.0 / 6 - theta2 / 120;
        }
        else
        {
            double theta = Math.Sqrt(theta2);
            a = OneMinusCosOverThetaSquared(theta);
            b = (theta - Math.Sin(theta)) / (theta2 * theta);
        }
        var w = Mat3.Hat(omega);
        return Mat3.Identity + a * w + b * (w * w);
    }

    public static Mat3 LeftJacobianInverse(Vec3 omega)
    {
        double theta2 = omega.SquaredNorm;
        double c;
        if (theta2 < SmallAngleSquared)
        {
            c = 1.0 / 12 + theta2 / 720;
        }
        else
        {
            // 1/theta^2 - (1 + cos)/(2 theta sin), written with cot(theta/2) so it stays finite at pi.
            double theta = Math.Sqrt(theta2);
            c = 1 / theta2 - 1 / (2 * theta * Math.Tan(theta / 2));
        }
        var w = Mat3.Hat(omega);
        return Mat3.Identity - 0.5 * w + c * (w * w);
    }

    /// <summary>Right Jacobian: Exp(w + d) ~ Exp(w) Exp(Jr(w) d).</summary>
    public static Mat3 RightJacobian(Vec3 omega) => LeftJacobian(-omega);

    public static Mat3 RightJacobianInverse(Vec3 omega) => LeftJacobianInverse(-omega);

    /// <summary>
    /// (1 - cos theta) / theta^2 as 2 sin^2(theta/2) / theta^2: 1 - cos theta cancels catastrophically for small
    /// theta (relative error ~1e-6 just above the series threshold), while the half-angle form keeps full relative precision.
    /// </summary>
    private static double OneMinusCosOverThetaSquared(double theta)
    {
        double s = Math.Sin(0.5 * theta) / theta;
        return 2 * s * s;
    }

    /// <summary>Angle in radians between two rotations.</summary>
    public static double AngleBetween(Mat3 a, Mat3 b) => Log(a.Transpose() * b).Norm;

    /// <summary>Projects a near-rotation (e.g. after accumulating round-off) back onto SO(3).</summary>
    public static Mat3 Orthonormalize(Mat3 m) => UnitQuaternion.FromRotation(m).ToRotation();
}
