using IMatching.Geometry.Linear;

namespace IMatching.Vision.Synthetic;

/// <summary>
/// Lambertian shading under the domain's lights (ambient, sun, ceiling lamp, a torch on the camera), then the
/// medium between surface and camera. No shadows: lights are fixed in the world (the torch moves with the
/// camera), so a surface point looks nearly the same from nearby viewpoints, as matching needs.
/// </summary>
internal sealed class SurfaceShader(SyntheticDomain domain, Vec3 lampPosition)
{
    /// <summary>Distances at which lamp and torch light fall to half: softer than inverse-square near the source.</summary>
    private const double LampHalfM = 2.5, TorchHalfM = 1.6;

    private readonly double _torchOuterCos = Math.Cos(domain.TorchHalfAngleDegrees * Math.PI / 180);
    private readonly double _torchInnerCos = Math.Cos(0.35 * domain.TorchHalfAngleDegrees * Math.PI / 180);
    private readonly bool _hasLamp = domain.LampColour != Vec3.Zero, _hasTorch = domain.TorchColour != Vec3.Zero;
    private readonly bool _hasFog = domain.FogPerMetre != Vec3.Zero;

    /// <summary>
    /// The colour seen from <paramref name="eye"/> (camera axis <paramref name="forward"/>) of a surface point with
    /// unit normal <paramref name="normal"/> facing the eye.
    /// </summary>
    public Vec3 Shade(Vec3 albedo, Vec3 point, Vec3 normal, Vec3 eye, Vec3 forward)
    {
        var light = domain.Ambient + Math.Max(0, normal.Dot(domain.SunTowards)) * domain.SunColour;
        if (_hasLamp) light += PointLight(point, normal, lampPosition, LampHalfM) * domain.LampColour;
        var toEye = eye - point;
        double distance = toEye.Norm;
        if (_hasTorch)
        {
            double cone = Colour.Smoothstep(_torchOuterCos, _torchInnerCos, -toEye.Dot(forward) / distance);
            if (cone > 0) light += cone * PointLight(point, normal, eye, TorchHalfM) * domain.TorchColour;
        }
        var colour = Colour.Times(albedo, light);
        if (!_hasFog) return colour;
        var k = domain.FogPerMetre;
        var transmitted = new Vec3(Math.Exp(-k.X * distance), Math.Exp(-k.Y * distance), Math.Exp(-k.Z * distance));
        return Colour.Times(colour, transmitted) + Colour.Times(domain.FogColour, new Vec3(1, 1, 1) - transmitted);
    }

    private static double PointLight(Vec3 point, Vec3 normal, Vec3 source, double halfM)
    {
        var toLight = source - point;
        double d2 = toLight.SquaredNorm;
        double cosine = normal.Dot(toLight) / Math.Sqrt(d2);
        return cosine > 0 ? cosine / (1 + d2 / (halfM * halfM)) : 0;
    }
}
