using IMatching.Geometry.Linear;

namespace IMatching.Vision.Synthetic;

/// <summary>
/// A procedural surface pattern: the albedo at surface coordinates (u, v) in metres, so a brick is as large on a
/// far wall as on a near box and texture scale is physical.
/// </summary>
internal interface ITexture
{
    Vec3 Albedo(double u, double v);
}
