using IMatching.Geometry.Linear;

namespace IMatching.Geometry.Lie;

/// <summary>
/// A similarity transform x' = s R x + t: a rigid transform with a scale, which relates a monocular reconstruction
/// (known only up to scale) to metric ground truth. Name instances by their frames, like <see cref="Se3"/>.
/// </summary>
public readonly record struct Sim3(double Scale, Mat3 Rotation, Vec3 Translation)
{
    public Vec3 Act(Vec3 point) => Scale * (Rotation * point) + Translation;
}
