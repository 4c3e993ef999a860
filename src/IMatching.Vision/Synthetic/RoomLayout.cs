namespace IMatching.Vision.Synthetic;

/// <summary>
/// The contract between scene and trajectory that keeps the camera out of objects: objects stand within
/// <see cref="ClusterRadiusM"/> of the room's vertical axis or beyond <see cref="WallZoneM"/> from it (against the
/// walls), and the camera circles between them around <see cref="OrbitRadiusM"/>, looking at the cluster.
/// </summary>
internal static class RoomLayout
{
    public const double ClusterRadiusM = 1.3;
    public const double OrbitRadiusM = 2.1;
    /// <summary>How far the orbit radius may stray either way, with hand shake: at least 0.4 m from every object.</summary>
    public const double OrbitWanderM = 0.25;
    public const double WallZoneM = 2.9;
    public const double MinHalfSizeM = 3.5;
    /// <summary>With half sizes up to this and ceilings up to 3.2 m every distance stays under the 13.1 m a 16-bit depth PNG at 1/5000 m holds.</summary>
    public const double MaxHalfSizeM = 4.2;
}
