namespace IMatching.Geometry.RobustLosses;

/// <summary>
/// The few operations a robust kernel is written with. A kernel defined once against this interface runs
/// on doubles in the solver (through <see cref="SecondOrderJet"/>, which also yields rho' and rho'') and
/// on tensors in the learning loss (where autograd differentiates it), so the two cannot drift apart.
/// Static members: the arithmetic is a type, chosen at compile time, with no per-call dispatch.
/// </summary>
public interface IKernelArithmetic<T>
{
    static abstract T Add(T a, T b);
    /// <summary>c * x.</summary>
    static abstract T Scale(T x, double c);
    /// <summary>x + c.</summary>
    static abstract T Shift(T x, double c);
    static abstract T Sqrt(T x);
    static abstract T Log(T x);
    /// <summary>min(x, c), carrying the derivative of x where x &lt;= c (zero beyond): a branch point belongs to the lower branch.</summary>
    static abstract T ClampMax(T x, double c);
    /// <summary>max(x, c), carrying the derivative of x where x &gt; c (zero at and below c).</summary>
    static abstract T ClampMin(T x, double c);
}
