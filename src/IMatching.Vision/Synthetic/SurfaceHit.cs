using IMatching.Geometry.Linear;

namespace IMatching.Vision.Synthetic;

/// <summary>
/// The nearest surface along a ray: <see cref="Distance"/> is the ray parameter (for camera rays with direction
/// z = 1 in the camera frame, the depth z itself), the normal faces the ray's origin, (U, V) are texture
/// coordinates in metres.
/// </summary>
internal record struct SurfaceHit(double Distance, Vec3 Normal, double U, double V, int Texture);
