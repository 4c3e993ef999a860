using IMatching.Geometry.Lie;
using IMatching.Geometry.Linear;

namespace IMatching.Vision.Synthetic;

/// <summary>
/// Lays out a room from a seed (<see cref="RoomLayout"/> says where things may stand): floor, ceiling and four
/// walls; a cluster of boxes, stacked and floating tilted boxes and free-standing panels in the middle; boxes and
/// posters along the walls. The domain chooses only textures and lights, so a seed gives the same geometry in
/// every domain.
/// </summary>
internal static class RoomGenerator
{
    private static readonly Vec3 X = new(1, 0, 0), Y = new(0, 1, 0), Z = new(0, 0, 1);

    public static RoomScene Generate(SyntheticDomain domain, int seed)
    {
        // Geometry and appearance draw from separate streams so that the layout does not depend on the domain.
        var shapes = new Random(seed);
        var looks = new Random((int)Hash.Of(seed, NameHash(domain.Name), 0x5f3759dfu));
        var builder = new Builder(domain, looks);

        double hx = Between(shapes, RoomLayout.MinHalfSizeM, RoomLayout.MaxHalfSizeM);
        double hy = Between(shapes, RoomLayout.MinHalfSizeM, RoomLayout.MaxHalfSizeM);
        double height = Between(shapes, 2.7, 3.2);
        AddRoom(builder, hx, hy, height);
        AddCluster(builder, shapes);
        AddAlongWalls(builder, shapes, hx, hy, height);

        var lamp = new Vec3(Between(shapes, -1.5, 1.5), Between(shapes, -1.5, 1.5), height - 0.3);
        var particles = new Vec3[domain.Particles];
        for (int i = 0; i < particles.Length; i++)
            particles[i] = new Vec3(Between(looks, -hx, hx), Between(looks, -hy, hy), Between(looks, 0, height));
        return new RoomScene(builder.Quads, builder.Boxes, builder.Textures, lamp, particles);
    }

    private static void AddRoom(Builder b, double hx, double hy, double height)
    {
        // Surfaces overlap by 1 cm at the edges so no ray slips out through a corner.
        const double overlap = 0.01;
        b.Quad(new Vec3(0, 0, 0), X, Y, hx + overlap, hy + overlap, b.Domain.FloorFamilies);
        b.Quad(new Vec3(0, 0, height), X, Y, hx + overlap, hy + overlap, [TextureFamily.Noise]);
        double hz = 0.5 * height;
        b.Quad(new Vec3(hx, 0, hz), Y, Z, hy + overlap, hz + overlap, b.Domain.WallFamilies);
        b.Quad(new Vec3(-hx, 0, hz), Y, Z, hy + overlap, hz + overlap, b.Domain.WallFamilies);
        b.Quad(new Vec3(0, hy, hz), X, Z, hx + overlap, hz + overlap, b.Domain.WallFamilies);
        b.Quad(new Vec3(0, -hy, hz), X, Z, hx + overlap, hz + overlap, b.Domain.WallFamilies);
    }

    /// <summary>Boxes on the floor (some with a smaller one on top), floating tilted boxes and panels, all within the cluster radius.</summary>
    private static void AddCluster(Builder b, Random r)
    {
        int floorBoxes = r.Next(3, 6);
        for (int i = 0; i < floorBoxes; i++)
        {
            var half = new Vec3(Between(r, 0.15, 0.4), Between(r, 0.15, 0.4), Between(r, 0.15, 0.5));
            var centre = InDisc(r, RoomLayout.ClusterRadiusM - Math.Sqrt(half.X * half.X + half.Y * half.Y), half.Z);
            double yaw = Between(r, 0, Math.PI);
            b.Box(centre, So3.Exp(new Vec3(0, 0, yaw)), half);
            if (r.NextDouble() < 0.4)
            {
                var top = new Vec3(half.X * Between(r, 0.4, 0.8), half.Y * Between(r, 0.4, 0.8), Between(r, 0.08, 0.25));
                b.Box(centre + new Vec3(0, 0, half.Z + top.Z), So3.Exp(new Vec3(0, 0, yaw + Between(r, -0.6, 0.6))), top);
            }
        }
        int floating = r.Next(1, 3);
        for (int i = 0; i < floating; i++)
        {
            var half = new Vec3(Between(r, 0.08, 0.22), Between(r, 0.08, 0.22), Between(r, 0.08, 0.22));
            var centre = InDisc(r, RoomLayout.ClusterRadiusM - half.Norm, Between(r, 1.2, 1.9));
            b.Box(centre, So3.Exp(RandomAxis(r) * Between(r, 0.2, 1.2)), half);
        }
        int panels = r.Next(2, 5);
        for (int i = 0; i < panels; i++)
        {
            double hu = Between(r, 0.2, 0.45), hv = Between(r, 0.2, 0.45);
            var centre = InDisc(r, RoomLayout.ClusterRadiusM - Math.Sqrt(hu * hu + hv * hv), Between(r, 0.5, 1.7));
            // Mostly upright, turned to any heading and tilted by up to ~35 degrees.
            var rotation = So3.Exp(new Vec3(0, 0, Between(r, 0, 2 * Math.PI))) * So3.Exp(new Vec3(Between(r, -0.6, 0.6), 0, 0));
            b.Quad(centre, rotation * X, rotation * Z, hu, hv, b.Domain.PanelFamilies);
        }
    }

    /// <summary>Boxes against the walls, no deeper than the wall zone allows, and posters a centimetre off the walls.</summary>
    private static void AddAlongWalls(Builder b, Random r, double hx, double hy, double height)
    {
        int boxes = r.Next(4, 7);
        for (int i = 0; i < boxes; i++)
        {
            int wall = r.Next(4);
            double wallHalf = wall < 2 ? hx : hy, alongHalf = wall < 2 ? hy : hx;
            var half = new Vec3(Between(r, 0.2, 0.5), 0.5 * Between(r, 0.25, wallHalf - RoomLayout.WallZoneM), Between(r, 0.2, 0.6));
            double along = Between(r, -alongHalf + half.X + 0.05, alongHalf - half.X - 0.05);
            double across = wallHalf - half.Y - 0.01;
            var (centre, rotation) = OnWall(wall, along, across, half.Z);
            b.Box(centre, rotation, half);
        }
        int posters = r.Next(4, 9);
        for (int i = 0; i < posters; i++)
        {
            int wall = r.Next(4);
            double wallHalf = wall < 2 ? hx : hy, alongHalf = wall < 2 ? hy : hx;
            double hu = Between(r, 0.2, 0.6), hv = Between(r, 0.15, 0.5);
            double along = Between(r, -alongHalf + hu + 0.05, alongHalf - hu - 0.05);
            var (centre, rotation) = OnWall(wall, along, wallHalf - 0.01, Between(r, 1.0 + hv, height - hv - 0.1));
            b.Quad(centre, rotation * X, rotation * Z, hu, hv, b.Domain.PanelFamilies);
        }
    }

    /// <summary>
    /// A point <paramref name="across"/> from the centre towards wall 0..3 (+x, -x, +y, -y), <paramref name="along"/>
    /// it, at height <paramref name="z"/>; the rotation turns the object's x axis along the wall and its y axis into it.
    /// </summary>
    private static (Vec3 Centre, Mat3 Rotation) OnWall(int wall, double along, double across, double z) => wall switch
    {
        0 => (new Vec3(across, along, z), So3.Exp(new Vec3(0, 0, -0.5 * Math.PI))),
        1 => (new Vec3(-across, along, z), So3.Exp(new Vec3(0, 0, 0.5 * Math.PI))),
        2 => (new Vec3(along, across, z), Mat3.Identity),
        _ => (new Vec3(along, -across, z), So3.Exp(new Vec3(0, 0, Math.PI))),
    };

    private static Vec3 InDisc(Random r, double radius, double z)
    {
        double angle = Between(r, 0, 2 * Math.PI), distance = Math.Max(0, radius) * Math.Sqrt(r.NextDouble());
        return new Vec3(distance * Math.Cos(angle), distance * Math.Sin(angle), z);
    }

    private static Vec3 RandomAxis(Random r)
    {
        double z = Between(r, -1, 1), angle = Between(r, 0, 2 * Math.PI), s = Math.Sqrt(1 - z * z);
        return new Vec3(s * Math.Cos(angle), s * Math.Sin(angle), z);
    }

    private static double Between(Random r, double low, double high) => low + (high - low) * r.NextDouble();

    /// <summary>string.GetHashCode differs between runs; renders must not.</summary>
    private static int NameHash(string name)
    {
        uint h = 0;
        foreach (char c in name) h = Hash.Mix(h ^ c);
        return (int)h;
    }

    /// <summary>Collects primitives, each with its own texture drawn from the domain.</summary>
    private sealed class Builder(SyntheticDomain domain, Random looks)
    {
        public SyntheticDomain Domain { get; } = domain;
        public List<TexturedQuad> Quads { get; } = [];
        public List<OrientedBox> Boxes { get; } = [];
        public List<ITexture> Textures { get; } = [];

        public void Quad(Vec3 centre, Vec3 u, Vec3 v, double hu, double hv, TextureFamily[] families) =>
            Quads.Add(new TexturedQuad(centre, u, v, hu, hv, Texture(families)));

        public void Box(Vec3 centre, Mat3 rotation, Vec3 half) =>
            Boxes.Add(new OrientedBox(centre, rotation, half, Texture(Domain.ObjectFamilies)));

        private int Texture(TextureFamily[] families)
        {
            Textures.Add(TextureFactory.Create(families[looks.Next(families.Length)], Domain.Palette, looks));
            return Textures.Count - 1;
        }
    }
}
