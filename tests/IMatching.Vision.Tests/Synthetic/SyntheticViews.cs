using IMatching.Geometry.Cameras;
using IMatching.Geometry.Lie;
using IMatching.Vision.Synthetic;
using OpenCvSharp;

namespace IMatching.Vision.Tests.Synthetic;

/// <summary>Consecutive frames of a synthetic sequence rendered in memory, with the scene and poses that made them.</summary>
internal sealed class SyntheticViews : IDisposable
{
    public SyntheticViews(string domain, int frames, int width = 160, int height = 120, int seed = 1)
        : this(SyntheticDomains.Get(domain), frames, width, height, seed)
    {
    }

    public SyntheticViews(SyntheticDomain domain, int frames, int width = 160, int height = 120, int seed = 1)
    {
        Domain = domain;
        Scene = RoomGenerator.Generate(Domain, seed);
        Camera = SyntheticSequence.Camera(width, height);
        CameraFromWorld = HandHeldTrajectory.Generate(frames, seed);
        var renderer = new SyntheticFrameRenderer(Domain, Scene, Camera, seed, supersampling: 2);
        var rendered = CameraFromWorld.Select((pose, k) => renderer.Render(k, pose)).ToArray();
        Images = [.. rendered.Select(r => r.Image)];
        Depths = [.. rendered.Select(r => r.Depth)];
    }

    public SyntheticDomain Domain { get; }
    public RoomScene Scene { get; }
    public PinholeCamera Camera { get; }
    public Se3[] CameraFromWorld { get; }
    public Mat[] Images { get; }
    public float[][] Depths { get; }

    public void Dispose()
    {
        foreach (var image in Images) image.Dispose();
    }
}
