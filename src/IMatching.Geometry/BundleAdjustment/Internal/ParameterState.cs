using IMatching.Geometry.Lie;
using IMatching.Geometry.Linear;

namespace IMatching.Geometry.BundleAdjustment.Internal;

/// <summary>One copy of every parameter value; the solver keeps two and swaps them on an accepted step.</summary>
internal sealed class ParameterState
{
    public readonly Se3[] CameraFromWorld;
    public readonly Vec3[] Points;
    public readonly double[][] Intrinsics;

    public ParameterState(int poses, int points, int[] intrinsicsSizes)
    {
        CameraFromWorld = new Se3[poses];
        Points = new Vec3[points];
        Intrinsics = new double[intrinsicsSizes.Length][];
        for (int i = 0; i < Intrinsics.Length; i++) Intrinsics[i] = new double[intrinsicsSizes[i]];
    }

    /// <summary>Norm of the Euclidean parameters, the scale for Ceres' parameter tolerance.</summary>
    public double Norm()
    {
        double sum = 0;
        foreach (var p in Points) sum += p.SquaredNorm;
        foreach (var t in CameraFromWorld) sum += t.Translation.SquaredNorm + So3.Log(t.Rotation).SquaredNorm;
        foreach (var k in Intrinsics) foreach (var v in k) sum += v * v;
        return Math.Sqrt(sum);
    }
}
