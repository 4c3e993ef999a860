namespace IMatching.Vision.Matching;

/// <summary>Descriptor <see cref="IndexA"/> of image A matched to <see cref="IndexB"/> of image B; <see cref="DistanceRatio"/> = best / second-best distance.</summary>
internal readonly record struct DescriptorMatch(int IndexA, int IndexB, double DistanceRatio);
