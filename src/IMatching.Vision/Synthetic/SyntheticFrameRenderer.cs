using IMatching.Geometry.Cameras;
using IMatching.Geometry.Lie;
using OpenCvSharp;

namespace IMatching.Vision.Synthetic;

/// <summary>Renders views of one room in one domain: rays, particles, then the camera's effects.</summary>
internal sealed class SyntheticFrameRenderer(SyntheticDomain domain, RoomScene scene, PinholeCamera camera, int seed, int supersampling)
{
    private readonly SurfaceShader _shader = new(domain, scene.LampPosition);

    /// <summary>The 8-bit BGR image (the caller disposes it) and the depth z in metres of every pixel centre.</summary>
    public (Mat Image, float[] Depth) Render(int frameIndex, Se3 cameraFromWorld)
    {
        var (rgb, depth) = RayCaster.Cast(scene, _shader, camera, cameraFromWorld, supersampling);
        if (scene.Particles.Count > 0) ParticleLayer.Draw(rgb, depth, camera, cameraFromWorld, scene.Particles, domain.ParticleColour);
        return (CameraEffects.Apply(rgb, camera.Width, camera.Height, domain, frameIndex, seed), depth);
    }
}
