using IMatching.Geometry.Linear;

namespace IMatching.Vision.Synthetic;

/// <summary>
/// A closed, textured room (world z up, floor at z = 0, centred on the z axis) with boxes and panels. Being closed,
/// every ray from inside hits something, so every pixel has a depth.
/// </summary>
internal sealed class RoomScene(
    IReadOnlyList<TexturedQuad> quads, IReadOnlyList<OrientedBox> boxes, IReadOnlyList<ITexture> textures,
    Vec3 lampPosition, Vec3[] particles)
{
    private readonly TexturedQuad[] _quads = [.. quads];
    private readonly OrientedBox[] _boxes = [.. boxes];
    private readonly ITexture[] _textures = [.. textures];

    public Vec3 LampPosition { get; } = lampPosition;
    public IReadOnlyList<Vec3> Particles { get; } = particles;

    /// <summary>The nearest surface along origin + t·direction, t > 0; false only for rays leaving through a crack.</summary>
    public bool Cast(Vec3 origin, Vec3 direction, out SurfaceHit hit)
    {
        hit = new SurfaceHit(double.PositiveInfinity, default, 0, 0, -1);
        bool found = false;
        foreach (var box in _boxes) found |= box.Intersect(origin, direction, ref hit);
        foreach (var quad in _quads) found |= quad.Intersect(origin, direction, ref hit);
        return found;
    }

    public Vec3 Albedo(in SurfaceHit hit) => _textures[hit.Texture].Albedo(hit.U, hit.V);
}
