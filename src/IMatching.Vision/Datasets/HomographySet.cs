namespace IMatching.Vision.Datasets;

/// <summary>
/// A reference image, target images and the ground-truth homographies mapping reference pixels to each target's
/// (3x3 row-major, pixel centres at integers as the published matrices use).
/// </summary>
public sealed record HomographySet(string Name, string ReferenceImagePath, IReadOnlyList<string> TargetImagePaths, IReadOnlyList<double[]> Homographies)
{
    public int Count => TargetImagePaths.Count;
}
