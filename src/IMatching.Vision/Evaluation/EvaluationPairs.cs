using IMatching.Vision.Datasets;

namespace IMatching.Vision.Evaluation;

/// <summary>The pairs a dataset contributes: frames a fixed gap apart in a sequence, reference to each target in a homography set.</summary>
public static class EvaluationPairs
{
    public static readonly IReadOnlyList<int> DefaultGaps = [1, 3, 5, 10];

    /// <summary>Every frame with the one <c>gap</c> later, gap by gap in the order given; gaps longer than the sequence add nothing.</summary>
    public static IReadOnlyList<EvaluationPair> FromSequence(Sequence sequence, IReadOnlyList<int> gaps)
    {
        if (gaps.Any(g => g < 1)) throw new ArgumentOutOfRangeException(nameof(gaps), "Frame gaps must be positive.");
        var pairs = new List<EvaluationPair>();
        foreach (int gap in gaps.Distinct())
            for (int i = 0; i + gap < sequence.Count; i++)
            {
                var (a, b) = (sequence[i], sequence[i + gap]);
                pairs.Add(new EvaluationPair(sequence.Name, $"{a.SourceIndex}-{b.SourceIndex}", a.ImagePath, b.ImagePath, a.Index, b.Index)
                {
                    FrameA = a,
                    FrameB = b,
                });
            }
        return pairs;
    }

    /// <summary>Reference image 1 with each target 2..N, labelled with the dataset's own image numbers.</summary>
    public static IReadOnlyList<EvaluationPair> FromHomographySet(HomographySet set) =>
        [.. Enumerable.Range(0, set.Count).Select(k => new EvaluationPair(set.Name, $"1-{k + 2}", set.ReferenceImagePath, set.TargetImagePaths[k], 0, k + 1)
        {
            Homography = HomographyErrors.ToMat3(set.Homographies[k]),
        })];

    public static IReadOnlyList<EvaluationPair> FromSpec(DataSpec spec, IReadOnlyList<int> gaps) =>
        spec.IsHomographySet ? FromHomographySet(spec.OpenHomographySet()) : FromSequence(spec.OpenSequence(), gaps);
}
