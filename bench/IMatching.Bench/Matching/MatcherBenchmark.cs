using System.Diagnostics;
using System.Globalization;
using IMatching.Learning.Matching;
using IMatching.Learning.Models;
using OpenCvSharp;
using static TorchSharp.torch;

namespace IMatching.Bench.Matching;

/// <summary>
/// 640x480 TUM pairs through alike-n+exp with 1000 ALIKE queries, median of the runs after a warm-up: a single pair
/// as <c>imatching match</c> sees it (both frames new), a pair of a sliding evaluation (frame k against k+1, so the
/// adapter reuses one frame's features), both through the inference adapter; and the forward pass as training builds
/// it (autograd graph kept, no backward). Then peak memory.
/// </summary>
public static class MatcherBenchmark
{
    private const int Queries = 1000;

    public static int Run(string shared, int runs)
    {
        string[] frames = [.. Directory.GetFiles(Path.Combine(shared, "data", "tum_fr2_desk", "rgb"), "*.png").Order().Take(runs + 2)];
        string weights = Path.Combine(shared, "weights", "alike", "alike-n.pth");
        var spec = ModelSpec.Parse($"alike-n+exp:{weights}");
        var context = new MatcherContext { Queries = $"alike:{Queries}" };
        using var matcher = LearnedModels.CreateDifferentiable(spec, context);
        Mat[] images = [.. frames.Select(path => Cv2.ImRead(path, ImreadModes.Color))];
        try
        {
            // A fresh adapter per pair: nothing to reuse, as for one `imatching match`.
            var (single, count) = Median(runs, i =>
            {
                using var adapter = new DifferentiablePairMatcher(matcher, ownsMatcher: false);
                return Time(() => adapter.Match(images[0], images[1], 0, 1).Count);
            });
            // One adapter along the sequence: pair k meets frame k again.
            using var sliding = new DifferentiablePairMatcher(matcher, ownsMatcher: false);
            sliding.Match(images[0], images[1], 0, 1);
            var times = Enumerable.Range(1, images.Length - 2).Select(k => Time(() => sliding.Match(images[k], images[k + 1], k, k + 1).Count).Ms).Order().ToList();
            double reused = times[times.Count / 2];

            using var scope = NewDisposeScope();
            Tensor[] tensors = [ImageTensor.FromMat(images[0]), ImageTensor.FromMat(images[1])];
            matcher.Train(false);
            var (graph, _) = Median(runs, _ => Time(() =>
            {
                using var predictionScope = NewDisposeScope();
                return matcher.Predict(tensors, [(0, 1)])[0].Count;
            }));

            using var process = Process.GetCurrentProcess();
            process.Refresh();
            var c = CultureInfo.InvariantCulture;
            Console.WriteLine(string.Create(c, $"alike-n+exp, {images[0].Width}x{images[0].Height} TUM pairs, {count} queries, {Environment.ProcessorCount} cores, torch threads {get_num_threads()}; median over {runs} runs after a warm-up"));
            Console.WriteLine(string.Create(c, $"single pair (imatching match: both frames new), inference mode: {single / 1000:F2} s"));
            Console.WriteLine(string.Create(c, $"sliding evaluation pair (frame k reused from the pair before), inference mode: {reused / 1000:F2} s"));
            Console.WriteLine(string.Create(c, $"forward with the autograd graph kept, as training: {graph / 1000:F2} s"));
            Console.WriteLine(string.Create(c, $"peak working set {process.PeakWorkingSet64 / 1048576.0:F0} MiB (libtorch's CPU allocator keeps no statistics; its tensors are in here); managed heap {GC.GetTotalMemory(false) / 1048576.0:F1} MiB"));
            return 0;
        }
        finally
        {
            foreach (var image in images) image.Dispose();
        }
    }

    private static (double Ms, int Count) Time(Func<int> run)
    {
        var clock = Stopwatch.StartNew();
        int count = run();
        return (clock.Elapsed.TotalMilliseconds, count);
    }

    private static (double MedianMs, int Count) Median(int runs, Func<int, (double Ms, int Count)> run)
    {
        int count = run(-1).Count;
        var times = Enumerable.Range(0, runs).Select(i => run(i).Ms).Order().ToList();
        return (times[times.Count / 2], count);
    }
}
