using IMatching.Geometry.Cameras;
using IMatching.Geometry.Lie;

namespace IMatching.Vision.Synthetic;

/// <summary>What <see cref="SyntheticSequence.Render"/> wrote: the exact camera, timestamps and poses (cameraFromWorld).</summary>
public sealed record RenderedSequence(
    string Folder, string Domain, int Seed, PinholeCamera Camera, IReadOnlyList<double> TimestampsSeconds, IReadOnlyList<Se3> CameraFromWorld);
