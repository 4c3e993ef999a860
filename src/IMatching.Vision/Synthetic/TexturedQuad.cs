using IMatching.Geometry.Linear;

namespace IMatching.Vision.Synthetic;

/// <summary>
/// A textured rectangle: centre, two orthonormal in-plane axes and half sizes in metres. Room walls, free-standing
/// panels and posters. Seen from both sides.
/// </summary>
internal sealed class TexturedQuad(Vec3 centre, Vec3 axisU, Vec3 axisV, double halfU, double halfV, int texture)
{
    private readonly Vec3 _normal = axisU.Cross(axisV);

    public Vec3 Centre { get; } = centre;

    public bool Intersect(Vec3 origin, Vec3 direction, ref SurfaceHit nearest)
    {
        double denominator = _normal.Dot(direction);
        if (Math.Abs(denominator) < 1e-12) return false;
        double t = _normal.Dot(Centre - origin) / denominator;
        if (!(t > 1e-9 && t < nearest.Distance)) return false;
        var offset = origin + t * direction - Centre;
        double u = offset.Dot(axisU), v = offset.Dot(axisV);
        if (Math.Abs(u) > halfU || Math.Abs(v) > halfV) return false;
        nearest = new SurfaceHit(t, denominator > 0 ? -_normal : _normal, u, v, texture);
        return true;
    }
}
