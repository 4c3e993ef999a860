using System.Diagnostics;
using IMatching.Vision.Datasets;
using IMatching.Vision.Matching;

namespace IMatching.Vision.Evaluation;

/// <summary>
/// Runs one matcher over every pair, timing the matcher alone, and scores each result. Nothing here draws
/// random numbers (OpenCV's RANSAC seeds itself), so the scores repeat exactly from run to run.
/// </summary>
public static class MatcherEvaluation
{
    public static IReadOnlyList<PairResult> Run(IPairMatcher matcher, IReadOnlyList<EvaluationPair> pairs, IProgress<(int Done, int Total)>? progress = null)
    {
        var results = new List<PairResult>(pairs.Count);
        bool warmedUp = false;
        foreach (var pair in pairs)
        {
            using var imageA = pair.FrameA is { } frameA ? FrameImageLoader.Load(frameA) : FrameImageLoader.Load(pair.ImagePathA);
            using var imageB = pair.FrameB is { } frameB ? FrameImageLoader.Load(frameB) : FrameImageLoader.Load(pair.ImagePathB);
            // The first call pays for JIT and native initialisation; timing it would bill that to one pair.
            if (!warmedUp)
            {
                matcher.Match(imageA, imageB, pair.IndexA, pair.IndexB);
                warmedUp = true;
            }
            long start = Stopwatch.GetTimestamp();
            var matches = matcher.Match(imageA, imageB, pair.IndexA, pair.IndexB);
            double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
            results.Add(new PairResult(pair, matches, seconds, PairEvaluator.Evaluate(pair, matches)));
            progress?.Report((results.Count, pairs.Count));
        }
        return results;
    }
}
