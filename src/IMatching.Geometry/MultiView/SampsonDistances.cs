using System.Runtime.Intrinsics;
using IMatching.Geometry.Linear;

namespace IMatching.Geometry.MultiView;

/// <summary>
/// Squared Sampson distances of one set of matches under the many essential matrices a RANSAC tries, four matches
/// at a time: the coordinates sit in separate X and Y arrays, so one vector holds a coordinate of four matches. Each
/// distance takes the operations of <see cref="EssentialMatrix.SampsonSquared"/> in the same order, so it equals it to the bit.
/// </summary>
internal sealed class SampsonDistances
{
    private readonly double[] _ax, _ay, _bx, _by;

    public SampsonDistances(ReadOnlySpan<Vec2> xa, ReadOnlySpan<Vec2> xb)
    {
        Count = xa.Length;
        // Padded to whole vectors; the padding's distances are computed and never read.
        int padded = (Count + 3) & ~3;
        (_ax, _ay, _bx, _by) = (new double[padded], new double[padded], new double[padded], new double[padded]);
        for (int i = 0; i < Count; i++) (_ax[i], _ay[i], _bx[i], _by[i]) = (xa[i].X, xa[i].Y, xb[i].X, xb[i].Y);
    }

    public int Count { get; }

    /// <summary>The squared Sampson distances of matches <paramref name="first"/> to <paramref name="first"/> + 3 (a multiple of 4).</summary>
    public Vector256<double> Four(in Mat3 e, int first)
    {
        var ax = Vector256.LoadUnsafe(ref _ax[0], (nuint)first);
        var ay = Vector256.LoadUnsafe(ref _ay[0], (nuint)first);
        var bx = Vector256.LoadUnsafe(ref _bx[0], (nuint)first);
        var by = Vector256.LoadUnsafe(ref _by[0], (nuint)first);
        // E (ax, ay, 1) and E^T (bx, by, 1), then (bx, by, 1) . E (ax, ay, 1), as EssentialMatrix.SampsonSquared sums them.
        var eaX = e.M00 * ax + e.M01 * ay + Vector256.Create(e.M02);
        var eaY = e.M10 * ax + e.M11 * ay + Vector256.Create(e.M12);
        var eaZ = e.M20 * ax + e.M21 * ay + Vector256.Create(e.M22);
        var etbX = e.M00 * bx + e.M10 * by + Vector256.Create(e.M20);
        var etbY = e.M01 * bx + e.M11 * by + Vector256.Create(e.M21);
        var num = bx * eaX + by * eaY + eaZ;
        var den = eaX * eaX + eaY * eaY + etbX * etbX + etbY * etbY;
        return Vector256.ConditionalSelect(Vector256.GreaterThan(den, Vector256<double>.Zero),
            num * num / den, Vector256.Create(double.PositiveInfinity));
    }
}
