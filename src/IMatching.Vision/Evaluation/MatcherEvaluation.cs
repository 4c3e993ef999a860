using System.Diagnostics;
using System.Runtime.ExceptionServices;
using IMatching.Geometry;
using IMatching.Vision.Datasets;
using IMatching.Vision.Matching;

namespace IMatching.Vision.Evaluation;

/// <summary>
/// Runs one matcher over every pair, timing the matcher alone, and scores each result. Nothing here draws
/// random numbers (OpenCV's RANSAC seeds itself), so the scores repeat exactly from run to run.
/// </summary>
public static class MatcherEvaluation
{
    /// <summary>Every pair's result in order; the first error of any pair stops the run.</summary>
    public static IReadOnlyList<PairResult> Run(IPairMatcher matcher, IReadOnlyList<EvaluationPair> pairs, IProgress<(int Done, int Total)>? progress = null)
    {
        var results = new List<PairResult>(pairs.Count);
        bool warmedUp = false;
        foreach (var pair in pairs)
        {
            results.Add(Evaluate(matcher, pair, ref warmedUp));
            progress?.Report((results.Count, pairs.Count));
        }
        return results;
    }

    /// <summary>
    /// Like <see cref="Run"/>, but a pair that fails with an unexpected (e.g. native) error is handed to
    /// <paramref name="onFailure"/> and the run goes on, so one bad pair late in a long run loses nothing else;
    /// <paramref name="onResult"/> sees each result as it is made. Bad input (<see cref="UserInputException"/>) still
    /// stops the run, and so does the error when every pair fails: then the matcher, not a pair, is broken.
    /// </summary>
    public static IReadOnlyList<PairResult> RunIsolated(IPairMatcher matcher, IReadOnlyList<EvaluationPair> pairs, Action<PairResult> onResult,
        Action<PairFailure> onFailure, IProgress<(int Done, int Total)>? progress = null)
    {
        var results = new List<PairResult>(pairs.Count);
        ExceptionDispatchInfo? firstError = null;
        bool warmedUp = false;
        for (int i = 0; i < pairs.Count; i++)
        {
            try
            {
                var result = Evaluate(matcher, pairs[i], ref warmedUp);
                results.Add(result);
                onResult(result);
            }
            catch (Exception e) when (e is not UserInputException and not OutOfMemoryException)
            {
                firstError ??= ExceptionDispatchInfo.Capture(e);
                onFailure(new PairFailure(pairs[i], e));
            }
            progress?.Report((i + 1, pairs.Count));
        }
        if (results.Count == 0) firstError?.Throw();
        return results;
    }

    private static PairResult Evaluate(IPairMatcher matcher, EvaluationPair pair, ref bool warmedUp)
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
        return new PairResult(pair, matches, seconds, PairEvaluator.Evaluate(pair, matches));
    }
}
