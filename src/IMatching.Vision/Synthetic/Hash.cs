using System.Runtime.CompilerServices;

namespace IMatching.Vision.Synthetic;

/// <summary>
/// Stateless integer hashing: every random quantity of a render (texture cells, sensor noise) is a pure function
/// of its coordinates and the seed, so rows rendered in parallel give the same bytes in any order.
/// </summary>
internal static class Hash
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Of(int a, int b, uint seed) =>
        // Large odd multipliers spread neighbouring lattice points apart; one Murmur3-style finaliser then removes
        // the remaining linear structure. Cheap enough for the four corners of every noise lookup.
        Mix((uint)a * 0x8DA6B343u ^ (uint)b * 0xD8163841u ^ seed * 0xCB1AB31Fu);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Of(int a, int b, int c, uint seed) => Mix(Of(a, b, seed) ^ (uint)c * 0x27D4EB2Fu);

    /// <summary>A uniform value in [0, 1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Unit(uint h) => (h >> 8) * (1.0 / (1 << 24));

    /// <summary>A standard normal value from two hashes (Box–Muller).</summary>
    public static double Gaussian(uint h1, uint h2) =>
        Math.Sqrt(-2 * Math.Log(1 - Unit(h1))) * Math.Cos(2 * Math.PI * Unit(h2));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Mix(uint h)
    {
        h ^= h >> 16;
        h *= 0x7FEB352Du;
        h ^= h >> 15;
        h *= 0x846CA68Bu;
        h ^= h >> 16;
        return h;
    }
}
