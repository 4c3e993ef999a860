using System.Runtime.CompilerServices;
using IMatching.Geometry.Linear;

namespace IMatching.Vision.Synthetic;

/// <summary>
/// A textured box in any orientation: <c>worldFromBox</c> rotation, centre and half extents in metres. Rays are
/// intersected by the slab method in the box frame, after a bounding-sphere test that rejects most of them.
/// </summary>
internal sealed class OrientedBox(Vec3 centre, Mat3 worldFromBox, Vec3 halfExtents, int texture)
{
    private readonly double _radius = halfExtents.Norm;

    public Vec3 Centre { get; } = centre;
    public Vec3 HalfExtents { get; } = halfExtents;

    public bool Intersect(Vec3 origin, Vec3 direction, ref SurfaceHit nearest)
    {
        var toCentre = Centre - origin;
        double dd = direction.SquaredNorm, tc = toCentre.Dot(direction) / dd;
        double missSquared = toCentre.SquaredNorm - tc * tc * dd;
        if (missSquared > _radius * _radius) return false;
        double halfChord = Math.Sqrt((_radius * _radius - missSquared) / dd);
        if (tc + halfChord < 1e-9 || tc - halfChord >= nearest.Distance) return false;

        var o = worldFromBox.TransposeTimes(-toCentre);
        var d = worldFromBox.TransposeTimes(direction);
        double tNear = double.NegativeInfinity, tFar = double.PositiveInfinity;
        int axis = -1;
        if (!Slab(0, o.X, d.X, HalfExtents.X, ref tNear, ref tFar, ref axis)
            || !Slab(1, o.Y, d.Y, HalfExtents.Y, ref tNear, ref tFar, ref axis)
            || !Slab(2, o.Z, d.Z, HalfExtents.Z, ref tNear, ref tFar, ref axis)) return false;
        // A ray starting inside the box (tNear < 0) never happens for cameras kept clear of objects; ignore it.
        if (axis < 0 || !(tNear > 1e-9 && tNear < nearest.Distance)) return false;
        double sign = d[axis] > 0 ? -1 : 1;
        var local = o + tNear * d;
        int a1 = (axis + 1) % 3, a2 = (axis + 2) % 3;
        // Offsetting each face's coordinates keeps the six faces from showing the same patch of texture.
        int face = 2 * axis + (sign > 0 ? 1 : 0);
        nearest = new SurfaceHit(tNear, sign * worldFromBox.Column(axis), local[a1] + 3.7 * face, local[a2] - 2.9 * face, texture);
        return true;
    }

    /// <summary>Narrows [tNear, tFar] to the ray's span between the two faces across one axis; false once it is empty.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Slab(int a, double o, double d, double h, ref double tNear, ref double tFar, ref int axis)
    {
        if (Math.Abs(d) < 1e-15) return Math.Abs(o) <= h;
        double t1 = (-h - o) / d, t2 = (h - o) / d;
        if (t1 > t2) (t1, t2) = (t2, t1);
        if (t1 > tNear) { tNear = t1; axis = a; }
        if (t2 < tFar) tFar = t2;
        return tNear <= tFar;
    }
}
